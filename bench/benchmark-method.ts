import { DEFAULT_CADENCE_SETTINGS } from '../main/telemetry/cadence-policy.js';
import type { BenchBroker } from './host-protocols.js';
import {
  COMMAND_MAX_LATENCY_INTERVALS,
  FRAME_MAX_LATENCY_INTERVALS,
} from './latency-collection.js';
import type { PhaseWindows } from './step-runner.js';

/** The settings of a run that the method text names. */
export interface BenchSettings {
  broker: BenchBroker;
  warmupSeconds: number;
  windows: PhaseWindows;
  probeIntervalSeconds: number;
  updateIntervalMs: number;
}

const { statusHeartbeatSeconds, statusMinIntervalSeconds, sensorsIntervalSeconds } =
  DEFAULT_CADENCE_SETTINGS;

/** Renders the Markdown that explains how a run with these settings measured its numbers. */
export function renderMethod(settings: BenchSettings): string {
  return [
    '## Method',
    '',
    setUp(settings),
    '',
    windows(settings),
    '',
    numbers(settings),
    '',
    limits(),
  ].join('\n');
}

function setUp(settings: BenchSettings): string {
  const broker =
    settings.broker === 'embedded'
      ? 'its embedded MQTT 5 broker'
      : 'a Debian mosquitto with dynamic security, which the local cloud provisions';
  return `### Set-up

Each printer count is one step, and every step starts fresh processes, forked from
\`bench/run.ts\`. \`npm run bench\` first compiles the benchmark and the core to JavaScript in
\`dist/bench/\`, so every host runs compiled code under plain \`node\`, as the installed CLI does.
Everything listens on 127.0.0.1.

- **Bridge host** (\`bench/bridge-host.ts\`): one \`BridgeGroup\` with one \`PrinterBridge\` per
  printer, logging at \`info\` to a file. It runs nothing else, so its CPU time and RSS are the
  bridges' own.
- **Simulator host** (\`bench/simulator-host.ts\`): one \`MoonrakerSimulator\` per printer, which
  sends a status update every ${settings.updateIntervalMs} ms, as Moonraker does.
- **Cloud host** (\`bench/cloud-host.ts\`): \`LocalCloud\` with its link and token HTTP API and
  ${broker}. It also runs the measuring subscriber, an operator MQTT client subscribed to
  \`owl/printers/#\` at QoS 1, and the command sender, a second operator client.

The orchestrator links every printer as a user would: it mints a link code with the local
cloud's operator API and redeems it with \`LinkClient\`. It then hands the credentials to the
bridge host and waits until every bridge is connected to the broker.`;
}

function windows(settings: BenchSettings): string {
  const { idle, printing, commands } = settings.windows;
  const interval = settings.probeIntervalSeconds;
  const frameMaxLatency = FRAME_MAX_LATENCY_INTERVALS * interval;
  return `### Windows of a step

Before each window the orchestrator waits ${settings.warmupSeconds} s, so that what the previous
change set off has settled. When a window opens and when it closes, every host takes a mark with
its CPU time, RSS, event-loop lag and byte counts. A window of length 0 is left out.

1. **idle** (${seconds(idle)}): the printers are connected, Klippy is ready and nothing prints
   (the simulator's \`idle\` scenario).
2. **printing** (${seconds(printing)}): the simulator host starts the simulator's 14-minute demo
   file on every printer through Moonraker's HTTP API (\`POST /printer/print/start\`). It then moves
   each printer's simulated time 100 s forward, so the heaters are at temperature and the print
   extrudes, with its progress changing, from the next status update on.
3. **commands** (${seconds(commands)}): the printers keep printing, and every ${interval} s the
   command sender sends each printer one command: \`print:resume\` when the printer's last print
   event was \`print:paused\`, else \`print:pause\`. The printers' commands are spread evenly over the interval. The
   simulated PAUSE and RESUME macros take 1.5 s, so each command changes \`print_stats.state\` once.
   After the window the commands stop, and the orchestrator waits ${frameMaxLatency} s for late
   events before it collects the times.

The bridges then stop and send their Offline status, and the simulators and the cloud stop after
them. A host that does not exit within 15 s is killed by its PID.`;
}

function numbers(settings: BenchSettings): string {
  const interval = settings.probeIntervalSeconds;
  const frameMaxLatency = FRAME_MAX_LATENCY_INTERVALS * interval;
  const commandMaxLatency = COMMAND_MAX_LATENCY_INTERVALS * interval;
  return `### What each number means

**Bridge CPU % of one core.** \`process.cpuUsage()\` of the bridge host (user plus system time of
all its threads) over a window, divided by the window's length. 100 % is one core fully busy.

**Bridge RSS.** The bridge host's resident set size, sampled every second. _Max_ is the largest
sample from the host's start to the end of the last window. _Base_ is the value after the modules
are loaded and before any bridge starts. _RSS per printer_ is (end − base) / printers, with the
value at the end of the last window, shown from 10 printers up.

**Moonraker frame → broker latency**, in the commands window. It starts when the simulator hands
the \`notify_status_update\` frame with the new \`print_stats.state\` (\`paused\`, or \`printing\`
after \`paused\`) to the bridge's websocket. It ends when the measuring subscriber receives the
\`print:paused\` or \`print:resumed\` event that reports the change. In between are the websocket,
the bridge's parsing, state store, event detection and durable outbox, the MQTT publish and the
broker's routing. A change whose event did not arrive
within ${frameMaxLatency} s counts as _missing_.

**Cloud command → Moonraker request latency**, in the commands window. It starts right before
the command sender hands the \`command.request\` message to mqtt.js (a QoS 1 publish). It ends when
the simulated Moonraker receives the \`printer.print.pause\` or \`printer.print.resume\` request that
the bridge sends for the command, over HTTP or the websocket (the latency table names which). The
simulator reports a request when it reaches its API, after the whole request has been read. In
between are the broker's routing, the bridge's MQTT client and
everything the bridge does with a command before it calls Moonraker. Commands and requests are
paired per printer and per method, in time order. A command takes the first request that no
earlier command took, if that request arrived within ${commandMaxLatency} s. That is less than the
interval between two commands to one printer, so a late request cannot be taken for the next command's. A command without a request counts as _unmatched_, and a request
that no command took counts as _unexpected_.

**Clocks.** Both latencies compare times taken in two processes. Each process reads
\`performance.now()\`, which counts Linux's system-wide monotonic clock from the process's start,
so the offset between two processes stays the same while they run. After the commands window,
the orchestrator asks each host for its clock nine times over IPC and keeps the reading with the
shortest round trip, as NTP does. It converts every time to its own clock with that offset. The
error is at most half that round trip, shown as the clock uncertainty. p50 and p99 are
nearest-rank percentiles, so with few samples p99 is the maximum.

**MQTT bytes per printer-hour.** _Sent_ is device → broker and _received_ is broker → device,
both in wire bytes. They are the bytes Node wrote to and read from the bridges' TCP connections
to the broker (\`bytesWritten\` and \`bytesRead\` of each socket, found through the
\`net.client.socket\` diagnostics channel). They include every MQTT packet with its fixed header
and MQTT 5 properties: PUBLISH, its acknowledgements, PINGREQ and PINGRESP, and the commands
received. They exclude TCP/IP headers, and there is no TLS on loopback. The bytes of a window,
summed over all printers, are divided by the printers and by the window's length and multiplied
by 3600 s. The idle and the printing figures come from their own windows, without commands. An
idle bridge publishes status at least every ${statusHeartbeatSeconds} s and sensors every
${sensorsIntervalSeconds} s, and all printers connect at about the same moment. So an idle window
that is not a whole multiple of ${statusHeartbeatSeconds} s can miss, or count twice, one
heartbeat of every printer at once. While printing, status goes out when the print's progress
changes, at most every ${statusMinIntervalSeconds} s. A window counts whole messages, so the
printing figure can differ between runs by about one status message per printer and window, and a
longer \`--printing-window\` narrows that.

**Traffic per channel.** Messages per minute per printer, and their topic plus payload bytes as
the measuring subscriber received them (device → broker payload, without MQTT headers). _acks_
are the command acks, so they appear in the commands window only.

**Other processes.** The CPU of the simulator host, of the cloud host (broker, HTTP API,
subscriber and command sender) and of mosquitto (from \`/proc/PID/stat\`), each as % of one core.
_Machine busy / unrelated cores_ comes from \`/proc/stat\` over the window. _Unrelated_ is what
remains after the benchmark's own processes and interrupt handling, which is work of other
programs on the machine. Before each step the orchestrator waits up to \`--quiet-wait\` seconds
for the machine to drop below 0.3 busy cores, and \`--busy-retries\` runs a step again when
unrelated work used more than that during one of its windows.

**Targets.** CPU is judged on the printing window, the steady load of a farm, because the
commands window adds a command every ${interval} s per printer, far more than a farm sends. RSS is
the largest value of the step. Each latency's p99 is that of the commands window. MB means
10⁶ bytes, MiB 2²⁰ bytes.`;
}

function limits(): string {
  return `### What limits these numbers

- **One shared machine.** The bridges, simulators, broker and subscriber share the machine's
  cores, so a bridge on a machine of its own has more headroom. Unrelated load raises the
  event-loop lag and the latency tails far more than it raises CPU time.
- **Loopback only.** There is no network latency, packet loss or TLS. A real broker adds its
  round trip, and TLS adds its record overhead and the handshake.
- **Simulated printers.** The scenario printer sends the fields that changed at every update,
  and temperature noise makes every update change something. A real Klipper host sends a
  comparable stream while printing, but its objects and sizes differ. Every printer prints the
  same file, about 100 s in, so the windows cover extrusion only.
- **Short windows.** Token renewal (once an hour) and reconnects do not fall into a window and
  are not in the traffic.`;
}

function seconds(value: number): string {
  return value > 0 ? `${value} s` : 'left out';
}
