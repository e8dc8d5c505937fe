import { posix } from 'node:path';
import type { GcodeFile } from '../gcode-catalog.js';
import { thumbnailPng, type Rgba } from '../png.js';

interface DemoFile {
  readonly filename: string;
  readonly color: Rgba;
  readonly objects: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Side lengths, in pixels, of the square thumbnails each demo file lists. */
const THUMBNAIL_SIZES = [32, 300] as const;

/**
 * The files of the simulated `gcodes` root. One lives in a folder and one has a non-ASCII name,
 * as real printers' files do, so clients have to encode paths.
 */
const DEMO_FILES: readonly DemoFile[] = [
  {
    filename: 'owl_cube_0.2mm_PLA_14m.gcode',
    color: [200, 120, 40, 255],
    objects: ['CUBE_1', 'CUBE_2'],
    metadata: {
      size: 412_345,
      modified: 1767225600.25,
      uuid: '1f0c9a52-3b7e-4d61-9a2f-6c1d8e4b7a01',
      gcode_start_byte: 9_876,
      gcode_end_byte: 401_234,
      layer_count: 100,
      object_height: 20,
      estimated_time: 840,
      first_layer_extr_temp: 215,
      first_layer_bed_temp: 60,
      filament_name: 'Generic PLA',
      filament_type: 'PLA',
      filament_total: 2_345.6,
      filament_weight_total: 7,
    },
  },
  {
    filename: 'boats/3DBenchy_0.15mm_PETG_1h2m.gcode',
    color: [40, 120, 200, 255],
    objects: ['BENCHY'],
    metadata: {
      size: 1_834_112,
      modified: 1767312000.5,
      uuid: '7d2e4b19-5a0c-4e83-b6f1-2c9a0d3e5f12',
      gcode_start_byte: 18_204,
      gcode_end_byte: 1_801_337,
      layer_count: 320,
      object_height: 48,
      estimated_time: 3_720,
      first_layer_extr_temp: 240,
      first_layer_bed_temp: 80,
      filament_name: 'Generic PETG',
      filament_type: 'PETG',
      filament_total: 5_310.2,
      filament_weight_total: 16.1,
    },
  },
  {
    filename: '齿轮_PLA_9m29s.gcode',
    color: [60, 160, 90, 255],
    objects: ['GEAR'],
    metadata: {
      size: 579_346,
      modified: 1767398400.75,
      uuid: 'c4a8e2d0-91b3-4f5e-8d27-0b6f3a9c1e23',
      gcode_start_byte: 30_078,
      gcode_end_byte: 559_446,
      layer_count: 75,
      object_height: 15,
      estimated_time: 569,
      first_layer_extr_temp: 220,
      first_layer_bed_temp: 55,
      filament_name: 'Generic PLA',
      filament_type: 'PLA',
      filament_total: 288.6,
      filament_weight_total: 0.85,
    },
  },
];

/** Metadata fields every demo file shares. */
const COMMON_METADATA = {
  file_processors: [],
  slicer: 'OrcaSlicer',
  slicer_version: '2.3.1',
  nozzle_diameter: 0.4,
  layer_height: 0.2,
  first_layer_height: 0.2,
  chamber_temp: 0,
};

let built: readonly GcodeFile[] | undefined;

/**
 * Returns the demo files, with thumbnail entries whose `size` is that of the PNG served. They are
 * built once and shared, so nothing may change them.
 */
export function demoFiles(): readonly GcodeFile[] {
  built ??= DEMO_FILES.map((file) => ({
    filename: file.filename,
    color: file.color,
    objects: file.objects,
    metadata: { ...COMMON_METADATA, ...file.metadata, thumbnails: thumbnails(file) },
  }));
  return built;
}

function thumbnails(file: DemoFile): Record<string, unknown>[] {
  const stem = posix.basename(file.filename, '.gcode');
  return THUMBNAIL_SIZES.map((side) => ({
    width: side,
    height: side,
    size: thumbnailPng(side, side, file.color).length,
    relative_path: `.thumbs/${stem}-${side}x${side}.png`,
  }));
}
