import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { httpJson, queriedStatus } from '../__testing__/http-json.js';
import { RpcTestClient } from '../__testing__/rpc-test-client.js';
import { MoonrakerSimulator, type MoonrakerSimulatorOptions } from '../moonraker-simulator.js';

describe('printer.gcode.script in scenario mode', () => {
  let simulator: MoonrakerSimulator | undefined;
  let client: RpcTestClient | undefined;
  let url: string;

  async function start(options: Partial<MoonrakerSimulatorOptions> = {}): Promise<RpcTestClient> {
    simulator = new MoonrakerSimulator({
      mode: { kind: 'scenario', name: 'idle' },
      clock: new FakeClock(),
      ...options,
    });
    url = (await simulator.start()).url;
    client = await RpcTestClient.connect(url);
    return client;
  }

  async function run(script: string): Promise<void> {
    const answer = await httpJson(url, '/printer/gcode/script', {
      method: 'POST',
      body: { script },
    });
    expect(answer).toEqual({ status: 200, body: { result: 'ok' } });
  }

  async function query(objects: string): Promise<Record<string, Record<string, unknown>>> {
    return queriedStatus(await httpJson(url, `/printer/objects/query?${objects}`));
  }

  beforeEach(() => {
    simulator = undefined;
    client = undefined;
  });

  afterEach(async () => {
    await client?.close();
    await simulator?.stop();
  });

  it('sets heater targets', async () => {
    await start();

    await run('SET_HEATER_TEMPERATURE HEATER=extruder TARGET=205\nM140 S65');

    expect(await query('extruder=target&heater_bed=target')).toEqual({
      extruder: { target: 205 },
      heater_bed: { target: 65 },
    });
  });

  it('sets the part fan and a generic fan', async () => {
    await start();

    await run('M106 S128\nSET_FAN_SPEED FAN=exhaust_fan SPEED=0.4');
    const running = await query('fan=speed&fan_generic%20exhaust_fan=speed');
    await run('M107');
    const stopped = await query('fan=speed');

    expect(running['fan']?.['speed']).toBeCloseTo(128 / 255, 6);
    expect(running['fan_generic exhaust_fan']).toEqual({ speed: 0.4 });
    expect(stopped['fan']).toEqual({ speed: 0 });
  });

  it('sets the speed and extrusion factors', async () => {
    await start();

    await run('M220 S150\nM221 S95');

    expect(await query('gcode_move=speed_factor,extrude_factor')).toEqual({
      gcode_move: { speed_factor: 1.5, extrude_factor: 0.95 },
    });
  });

  it('sets and adjusts the G-code offset', async () => {
    await start();

    await run('SET_GCODE_OFFSET Z=0.1\nSET_GCODE_OFFSET Z_ADJUST=0.05 MOVE=1');
    const origin = (await query('gcode_move=homing_origin'))['gcode_move']?.[
      'homing_origin'
    ] as number[];

    expect(origin[0]).toBe(0);
    expect(origin[2]).toBeCloseTo(0.15, 9);
  });

  it('sets an LED colour and an output pin', async () => {
    await start();

    await run('SET_LED LED=status_led RED=1 GREEN=0.5\nSET_PIN PIN=caselight VALUE=0.8');

    expect(await query('led%20status_led&output_pin%20caselight')).toEqual({
      'led status_led': { color_data: [[1, 0.5, 0, 0]] },
      'output_pin caselight': { value: 0.8 },
    });
  });

  it('excludes objects by upper-case name', async () => {
    const rpc = await start();
    await rpc.request('printer.print.start', { filename: 'owl_cube_0.2mm_PLA_14m.gcode' });

    await run('EXCLUDE_OBJECT NAME=cube_1');

    expect((await query('exclude_object'))['exclude_object']).toEqual({
      objects: [{ name: 'CUBE_1' }, { name: 'CUBE_2' }],
      excluded_objects: ['CUBE_1'],
      current_object: 'CUBE_2',
    });
  });

  it('rejects and echoes unknown commands', async () => {
    const rpc = await start();

    const answer = await rpc.call('printer.gcode.script', { script: 'NOT_A_MACRO X=1' });
    const echo = await rpc.waitFor((message) => message.method === 'notify_gcode_response');

    expect(answer['error']).toEqual({ code: 400, message: 'Unknown command:"NOT_A_MACRO"' });
    expect(echo.params).toEqual(['!! Unknown command:"NOT_A_MACRO"']);
  });

  it('only reports unknown commands when told to respond', async () => {
    const rpc = await start({ unknownCommand: 'respond' });

    const result = await rpc.request('printer.gcode.script', { script: 'M191 S40' });
    const echo = await rpc.waitFor((message) => message.method === 'notify_gcode_response');

    expect(result).toBe('ok');
    expect(echo.params).toEqual(['// Unknown command:"M191"']);
  });

  it('stops a script at the first failing line', async () => {
    const rpc = await start();

    const answer = await rpc.call('printer.gcode.script', {
      script: 'M104 S180\nM106 S-1\nM140 S50',
    });

    expect(answer['error']).toEqual({
      code: 400,
      message: "Error on 'M106 S-1': S must have minimum of 0",
    });
    expect(await query('extruder=target&heater_bed=target')).toEqual({
      extruder: { target: 180 },
      heater_bed: { target: 0 },
    });
  });

  it.each([
    [
      'SET_HEATER_TEMPERATURE HEATER=nozzle TARGET=200',
      "The value 'nozzle' is not valid for HEATER",
    ],
    [
      'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=400',
      'Requested temperature (400.0) out of range (0.0:300.0)',
    ],
    ['SET_FAN_SPEED FAN=missing SPEED=1', "The value 'missing' is not valid for FAN"],
    ['SET_PIN PIN=caselight', "Error on 'SET_PIN PIN=caselight': missing VALUE"],
    ['M220 S0', "Error on 'M220 S0': S must be above 0"],
    ['M104 Sabc', "Error on 'M104 Sabc': unable to parse abc"],
  ])('rejects %s', async (script, message) => {
    const rpc = await start();

    const answer = await rpc.call('printer.gcode.script', { script });

    expect(answer['error']).toEqual({ code: 400, message });
  });
});
