import { credentialsFromLink } from '../../../shared/contract/device-http.js';
import { CredentialsStore } from '../../cloud/credentials-store.js';
import { LinkClient } from '../../cloud/link-client.js';
import { FileSecretStore } from '../../cloud/secret-store.js';
import { systemClock } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import { createLogger } from '../../support/logger.js';
import type { CliCommand } from '../cli-commands.js';
import { loadConfig, warnUnknownKeys } from '../config-file.js';
import { requireString } from './show-config-command.js';

export const linkCommand: CliCommand = {
  name: 'link',
  usage: 'link --config FILE --printer NAME --code CODE',
  summary: 'Link one configured printer to Owl Cloud with a link code from Owl Web.',
  options: {
    config: { type: 'string', help: 'Path of the TOML configuration file' },
    printer: { type: 'string', help: 'Name of the printer in the configuration' },
    code: { type: 'string', help: 'Link code shown by Owl Web under Printers, Add printer' },
    force: { type: 'boolean', help: 'Replace existing credentials of this printer' },
  },
  async run(values) {
    const loaded = await loadConfig(requireString(values, 'config'));
    warnUnknownKeys(loaded, (line) => process.stderr.write(`${line}\n`));
    const name = requireString(values, 'printer');
    const printer = loaded.config.printers.find((candidate) => candidate.name === name);
    if (!printer) {
      const known = loaded.config.printers.map((candidate) => candidate.name).join(', ') || 'none';
      throw new CodedError(
        'printer_unknown',
        `No printer named "${name}" in ${loaded.path} (configured: ${known})`,
      );
    }

    const logger = createLogger({ level: loaded.config.logging.level });
    const credentials = new CredentialsStore(FileSecretStore.inFolder(loaded.dataDir, logger));
    if ((await credentials.get(name)) && values['force'] !== true) {
      throw new CodedError(
        'already_linked',
        `Printer "${name}" is already linked; pass --force to link it again with a new code`,
      );
    }

    const client = new LinkClient({
      baseUrl: loaded.config.cloud.base_url,
      clock: systemClock,
      logger,
    });
    process.stderr.write(`Linking "${name}" with ${loaded.config.cloud.base_url} ...\n`);
    const linked = await client.link(requireString(values, 'code'), {
      onProgress: ({ attempt }) => {
        if (attempt > 1)
          process.stderr.write('Waiting for the code to be accepted in Owl Web ...\n');
      },
    });
    // NOTE: with --force the replaced device keeps its `devices/<id>` folder, because this command
    // takes no data folder lock and a running `start` may still write to that folder.
    await credentials.set(name, credentialsFromLink(linked));
    process.stdout.write(`Linked "${name}" as device ${linked.deviceId}.\n`);
    return 0;
  },
};
