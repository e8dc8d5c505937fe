import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  hasRecordings,
  recordingPath,
  recordingsMissingReason,
} from '../../test/support/fixtures.js';
import { buildSubscriptionManifest } from './subscription-manifest.js';

const PRINTER_OBJECTS = [
  'webhooks',
  'configfile',
  'heaters',
  'gcode_move',
  'exclude_object',
  'print_stats',
  'virtual_sdcard',
  'display_status',
  'idle_timeout',
  'toolhead',
  'dual_carriage',
  'extruder',
  'extruder1',
  'extruder_stepper belt',
  'heater_bed',
  'heater_generic chamber',
  'temperature_fan exhaust',
  'temperature_sensor raspberry_pi',
  'temperature_sensor _hidden_probe',
  'temperature_host raspberry_pi',
  'fan',
  'fan_generic aux',
  'heater_fan hotend_fan',
  'controller_fan electronics',
  'neopixel status',
  'led caselight',
  'dotstar ring',
  'filament_switch_sensor runout',
  'filament_motion_sensor encoder',
  'output_pin beeper',
  'output_pin _internal',
  'gcode_macro TIMELAPSE_TAKE_FRAME',
  'gcode_macro PAUSE',
  'gcode_macro _HELPER',
  'tmc2209 stepper_x',
];

describe('buildSubscriptionManifest', () => {
  describe('defaults', () => {
    const manifest = buildSubscriptionManifest({ objects: PRINTER_OBJECTS });

    it('subscribes the job objects with all fields', () => {
      for (const name of ['display_status', 'print_stats', 'virtual_sdcard', 'idle_timeout']) {
        expect(manifest.objects[name]).toBeNull();
      }
      expect(manifest.objects['toolhead']).toBeNull();
      expect(manifest.objects['dual_carriage']).toBeNull();
      expect(manifest.objects['exclude_object']).toBeNull();
      expect(manifest.objects['gcode_macro TIMELAPSE_TAKE_FRAME']).toBeNull();
    });

    it('subscribes webhooks state and message', () => {
      expect(manifest.objects['webhooks']).toEqual(['state', 'state_message']);
    });

    it('subscribes the print parameters of gcode_move', () => {
      expect(manifest.objects['gcode_move']).toEqual([
        'extrude_factor',
        'speed_factor',
        'homing_origin',
      ]);
    });

    it('gives heaters temperature and target', () => {
      for (const name of ['extruder', 'extruder1', 'heater_bed', 'heater_generic chamber']) {
        expect(manifest.objects[name]).toEqual(['temperature', 'target']);
      }
      expect(manifest.objects['temperature_fan exhaust']).toEqual([
        'temperature',
        'target',
        'speed',
      ]);
    });

    it('gives every sensor type its fields', () => {
      expect(manifest.objects['temperature_sensor raspberry_pi']).toEqual(['temperature']);
      expect(manifest.objects['fan']).toEqual(['speed']);
      expect(manifest.objects['fan_generic aux']).toEqual(['speed']);
      expect(manifest.objects['heater_fan hotend_fan']).toEqual(['speed']);
      expect(manifest.objects['controller_fan electronics']).toEqual(['speed']);
      expect(manifest.objects['neopixel status']).toEqual(['color_data']);
      expect(manifest.objects['led caselight']).toEqual(['color_data']);
      expect(manifest.objects['dotstar ring']).toEqual(['color_data']);
      expect(manifest.objects['filament_switch_sensor runout']).toEqual([
        'filament_detected',
        'enabled',
      ]);
      expect(manifest.objects['filament_motion_sensor encoder']).toEqual([
        'filament_detected',
        'enabled',
      ]);
      expect(manifest.objects['output_pin beeper']).toEqual(['value']);
    });

    it('skips sensors whose second word starts with an underscore', () => {
      expect(manifest.objects).not.toHaveProperty(['temperature_sensor _hidden_probe']);
      expect(manifest.objects).not.toHaveProperty(['output_pin _internal']);
    });

    it('leaves out objects it has no use for', () => {
      for (const name of ['configfile', 'heaters', 'extruder_stepper belt', 'tmc2209 stepper_x']) {
        expect(manifest.objects).not.toHaveProperty([name]);
      }
      expect(manifest.objects).not.toHaveProperty(['gcode_macro PAUSE']);
      expect(manifest.objects).not.toHaveProperty(['temperature_host raspberry_pi']);
    });

    it('lists heaters, sensors and macros', () => {
      expect(manifest.heaters).toEqual([
        'extruder',
        'extruder1',
        'heater_bed',
        'heater_generic chamber',
      ]);
      expect(manifest.sensors).toContain('temperature_fan exhaust');
      expect(manifest.sensors).toContain('output_pin beeper');
      expect(manifest.sensors).not.toContain('gcode_move');
      expect(manifest.macros).toEqual(['PAUSE', 'TIMELAPSE_TAKE_FRAME', '_HELPER']);
    });
  });

  describe('objects list', () => {
    it('subscribes only loaded objects, and webhooks always', () => {
      const manifest = buildSubscriptionManifest({ objects: ['print_stats', 'fan'] });

      expect(manifest.objects).toEqual({
        webhooks: ['state', 'state_message'],
        print_stats: null,
        fan: ['speed'],
      });
    });

    it('never subscribes history, which is not a Klipper object', () => {
      const manifest = buildSubscriptionManifest({ objects: ['history', 'print_stats'] });

      expect(manifest.objects).not.toHaveProperty(['history']);
    });
  });

  describe('heaters object', () => {
    it('adds loaded heaters and sensors the type table does not know', () => {
      const manifest = buildSubscriptionManifest({
        objects: [
          'extruder',
          'temperature_combined hotend',
          'custom_heater oven',
          'z_thermal_adjust',
        ],
        heaters: {
          availableHeaters: ['extruder', 'custom_heater oven'],
          availableSensors: ['extruder', 'temperature_combined hotend', 'z_thermal_adjust', 'gone'],
        },
      });

      expect(manifest.objects['custom_heater oven']).toEqual(['temperature', 'target']);
      expect(manifest.objects['temperature_combined hotend']).toEqual(['temperature']);
      expect(manifest.objects['z_thermal_adjust']).toEqual(['temperature']);
      expect(manifest.objects).not.toHaveProperty(['gone']);
      expect(manifest.heaters).toEqual(['custom_heater oven', 'extruder']);
    });

    it('skips hidden names from the heater lists', () => {
      const manifest = buildSubscriptionManifest({
        objects: ['temperature_combined _internal'],
        heaters: { availableHeaters: [], availableSensors: ['temperature_combined _internal'] },
      });

      expect(manifest.objects).not.toHaveProperty(['temperature_combined _internal']);
    });
  });

  describe('include and exclude', () => {
    it('adds whole objects and single fields', () => {
      const manifest = buildSubscriptionManifest({
        objects: ['bed_mesh', 'gcode_move', 'motion_report', 'temperature_sensor _hidden'],
        include: [
          'bed_mesh',
          '"motion_report.live_position"',
          'gcode_move.position',
          "'temperature_sensor _hidden'",
        ],
      });

      expect(manifest.objects['bed_mesh']).toBeNull();
      expect(manifest.objects['motion_report']).toEqual(['live_position']);
      expect(manifest.objects['gcode_move']).toEqual([
        'extrude_factor',
        'speed_factor',
        'homing_origin',
        'position',
      ]);
      expect(manifest.objects['temperature_sensor _hidden']).toEqual(['temperature']);
    });

    it('ignores include entries for objects that are not loaded', () => {
      const manifest = buildSubscriptionManifest({ objects: ['fan'], include: ['bed_mesh'] });

      expect(manifest.objects).not.toHaveProperty(['bed_mesh']);
    });

    it('removes whole objects, wildcards and single fields', () => {
      const manifest = buildSubscriptionManifest({
        objects: PRINTER_OBJECTS,
        exclude: ['toolhead', 'output_pin*', 'gcode_move.homing_origin', 'fan.speed'],
      });

      expect(manifest.objects).not.toHaveProperty(['toolhead']);
      expect(manifest.objects).not.toHaveProperty(['output_pin beeper']);
      expect(manifest.objects['gcode_move']).toEqual(['extrude_factor', 'speed_factor']);
      expect(manifest.objects).not.toHaveProperty(['fan']);
      expect(manifest.sensors).not.toContain('fan');
    });

    it('keeps webhooks even when excluded', () => {
      const manifest = buildSubscriptionManifest({ objects: [], exclude: ['webhooks', '*'] });

      expect(manifest.objects).toEqual({ webhooks: ['state', 'state_message'] });
    });
  });

  describe.skipIf(!hasRecordings())(`recorded printers (${recordingsMissingReason})`, () => {
    it('builds the manifest for the print-pause-cancel printer', () => {
      const objects = recordedObjects('print-pause-cancel');

      const manifest = buildSubscriptionManifest({ objects });

      expect(manifest.objects).toEqual({
        webhooks: ['state', 'state_message'],
        print_stats: null,
        display_status: null,
        virtual_sdcard: null,
        idle_timeout: null,
        gcode_move: ['extrude_factor', 'speed_factor', 'homing_origin'],
      });
    });

    it('builds the manifest for the emergency-stop printer', () => {
      const objects = recordedObjects('emergency-stop');

      const manifest = buildSubscriptionManifest({ objects });

      expect(manifest.objects['extruder']).toEqual(['temperature', 'target']);
      expect(manifest.objects['heater_bed']).toEqual(['temperature', 'target']);
      expect(manifest.objects['fan']).toEqual(['speed']);
      expect(manifest.heaters).toEqual(['extruder', 'heater_bed']);
      expect(manifest.sensors).toEqual(['extruder', 'fan', 'heater_bed']);
    });
  });
});

/**
 * Objects the recorded printer reported in the first status result of the session. Empty
 * entries are bare type names the recording client asked for, not loaded objects.
 */
function recordedObjects(name: 'print-pause-cancel' | 'emergency-stop'): string[] {
  const lines = readFileSync(recordingPath(name), 'utf8').split('\n').slice(0, 6);
  for (const line of lines) {
    const frame = JSON.parse(JSON.parse(line).raw as string) as {
      result?: { status?: Record<string, Record<string, unknown>> };
    };
    const status = frame.result?.status;
    if (!status) continue;
    return Object.keys(status).filter((object) => Object.keys(status[object] ?? {}).length > 0);
  }
  throw new Error(`No status result in the first lines of ${name}`);
}
