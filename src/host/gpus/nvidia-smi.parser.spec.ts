import {
  computeAppsArgs,
  gpuQueryArgs,
  isDeviceError,
  isUnavailable,
  lineSplitter,
  memoryUsage,
  parseComputeAppRow,
  parseGpuRow,
  parseValue,
  toGpuStats,
} from './nvidia-smi.parser.js';

// Rows as the recordings under test/fixtures/nvidia-smi/recordings hold them (README.md there
// says where each comes from). Expected bytes are MiB × 1,048,576, worked out by hand.
const H100_IDLE_BOARD =
  '0, NVIDIA H100 80GB HBM3, 0, 1, 81559, 30, 100.89, 700.00, [N/A], 345, 1980';
const H100_LOAD =
  '0, NVIDIA H100 80GB HBM3, 100, 19818, 81559, 59, 631.95, 700.00, [N/A], 1980, 1980';
const H100_MIG =
  '0, NVIDIA H100 80GB HBM3, [N/A], 11125, 81559, 53, 433.78, 700.00, [N/A], 1980, 1980';
const QUADRO_P400 =
  '0, Quadro P400, 0, 0, 1998, 33, [Not Supported], [Not Supported], 34, 139, 1252';
const RTX_2080_LOAD =
  '0, NVIDIA GeForce RTX 2080 SUPER, 8, 819, 8192, 45, 111.50, 250.00, 38, 2055, 2145';
const LOST =
  '3, [GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost], ' +
  '[GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost]';

describe('nvidia-smi parser', () => {
  describe('parseValue', () => {
    it.each([
      ['0', 0],
      ['100.89', 100.89],
      [' 700.00', 700],
      ['[N/A]', null],
      ['[Not Supported]', null],
      ['[Unknown Error]', null],
      ['[GPU is lost]', null],
      ['[Requires Pip Refresh]', null],
      ['[Requested functionality has been deprecated]', null],
      // Seen unbracketed with nounits (temperature.memory on a GeForce RTX 2080, gpu-utils #83).
      ['N/A', null],
      ['0 %', undefined],
      ['19818 MiB', undefined],
      ['P0', undefined],
      ['', undefined],
    ])('should read %p as %p when nvidia-smi prints it so', (text, expected) => {
      // Act
      const value = parseValue(text);

      // Assert
      expect(value).toBe(expected);
    });
  });

  describe('parseGpuRow', () => {
    it('should read every figure when an idle H100 of an 8-GPU board prints its row', () => {
      // Act
      const row = parseGpuRow(H100_IDLE_BOARD);

      // Assert
      expect(row).toEqual({
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        lost: false,
        utilization: 0,
        memoryUsed: 1_048_576,
        memoryTotal: 85_520_809_984,
        temperatureC: 30,
        powerW: 100.89,
        powerLimitW: 700,
        fanPercent: null,
        clockMHz: 345,
        clockMaxMHz: 1980,
      });
    });

    it('should give nulls when a MIG-mode H100 prints [N/A] for utilization and fan', () => {
      // Act
      const row = parseGpuRow(H100_MIG);

      // Assert
      expect(row).toMatchObject({
        utilization: null,
        fanPercent: null,
        memoryUsed: 11_665_408_000,
      });
    });

    it('should give null power when a Quadro P400 prints [Not Supported]', () => {
      // Act
      const row = parseGpuRow(QUADRO_P400);

      // Assert
      expect(row).toMatchObject({
        name: 'Quadro P400',
        powerW: null,
        powerLimitW: null,
        fanPercent: 34,
        memoryUsed: 0,
        memoryTotal: 2_095_054_848,
      });
    });

    it('should keep the whole name when the name holds commas', () => {
      // Arrange: nvidia-smi does not quote; the figures are read from the end.
      const line = '2, NVIDIA Made, Up, GPU, 8, 819, 8192, 45, 111.50, 250.00, 38, 2055, 2145';

      // Act
      const row = parseGpuRow(line);

      // Assert
      expect(row).toMatchObject({ index: 2, name: 'NVIDIA Made, Up, GPU', utilization: 8 });
    });

    it('should mark the GPU lost and null its name and figures when every field is [GPU is lost]', () => {
      // Act
      const row = parseGpuRow(LOST);

      // Assert
      expect(row).toEqual({
        index: 3,
        name: null,
        lost: true,
        utilization: null,
        memoryUsed: null,
        memoryTotal: null,
        temperatureC: null,
        powerW: null,
        powerLimitW: null,
        fanPercent: null,
        clockMHz: null,
        clockMaxMHz: null,
      });
    });

    it.each([
      [
        'the device-handle error',
        'Unable to determine the device handle for GPU0000:5D:00.0: Unknown Error',
      ],
      ['"No devices were found"', 'No devices were found'],
      [
        'the header printed without noheader',
        'index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu, ' +
          'power.draw [W], power.limit [W], fan.speed [%], clocks.current.sm [MHz], clocks.max.sm [MHz]',
      ],
      [
        'a row printed with units',
        '0, NVIDIA GeForce RTX 2080 SUPER, 0 %, 214 MiB, 8192 MiB, 40, 39.32 W, 250.00 W, 38 %, 765 MHz, 2145 MHz',
      ],
      ['a row cut short', '0, NVIDIA GeForce RTX 2080 SUPER, 8, 819'],
      ['a row with no name', '0, , 8, 819, 8192, 45, 111.50, 250.00, 38, 2055, 2145'],
      ['an empty line', ''],
    ])('should give undefined when the line is %s', (_what, line) => {
      // Act
      const row = parseGpuRow(line);

      // Assert
      expect(row).toBeUndefined();
    });
  });

  describe('toGpuStats', () => {
    it('should give the sample shape with memory usage when a loaded H100 prints its row', () => {
      // Arrange
      const row = parseGpuRow(H100_LOAD)!;

      // Act
      const stats = toGpuStats(row, 'unused');

      // Assert: 19818 / 81559 MiB = 24.299 %.
      expect(stats).toEqual({
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        vendor: 'nvidia',
        utilization: 100,
        memoryUsed: 20_780_679_168,
        memoryTotal: 85_520_809_984,
        memoryUsage: 24.3,
        temperatureC: 59,
        powerW: 631.95,
        powerLimitW: 700,
        fanPercent: null,
        clockMHz: 1980,
        clockMaxMHz: 1980,
      });
    });

    it('should take the given name when nvidia-smi could not read it', () => {
      // Arrange
      const row = parseGpuRow(LOST)!;

      // Act
      const stats = toGpuStats(row, 'NVIDIA H100 80GB HBM3');

      // Assert
      expect(stats).toMatchObject({ index: 3, name: 'NVIDIA H100 80GB HBM3', memoryUsage: null });
    });

    it('should round memory usage to two decimals when a GeForce is under load', () => {
      // Arrange: 819 / 8192 MiB = 9.9976 %.
      const row = parseGpuRow(RTX_2080_LOAD)!;

      // Act
      const stats = toGpuStats(row, 'unused');

      // Assert
      expect(stats.memoryUsage).toBe(10);
      expect(stats.fanPercent).toBe(38);
    });
  });

  describe('memoryUsage', () => {
    it.each([
      [2.61, 214 * 1_048_576, 8192 * 1_048_576],
      [null, null, 8192],
      [null, 214, null],
      [null, 0, 0],
    ])('should give %p when used is %p and total %p', (expected, used, total) => {
      // Act
      const usage = memoryUsage(used, total);

      // Assert
      expect(usage).toBe(expected);
    });
  });

  describe('parseComputeAppRow', () => {
    it('should read uuid, pid and bytes when a process holds memory', () => {
      // Act
      const app = parseComputeAppRow('GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1, 11345, 15690');

      // Assert
      expect(app).toEqual({
        gpuUuid: 'GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1',
        pid: 11345,
        memoryBytes: 16_452_157_440,
      });
    });

    it('should give null bytes when Windows WDDM prints [N/A] for the memory', () => {
      // Act
      const app = parseComputeAppRow('GPU-00000000-0000-0000-0000-000000000000, 2056, [N/A]');

      // Assert
      expect(app).toEqual({
        gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
        pid: 2056,
        memoryBytes: null,
      });
    });

    it.each([
      ['a header', 'gpu_uuid, pid, used_gpu_memory [MiB]'],
      ['units', 'GPU-00000000-0000-0000-0000-000000000000, 5268, 370 MiB'],
      ['a pid of 0', 'GPU-00000000-0000-0000-0000-000000000000, 0, 370'],
      ['a lost GPU', '[GPU is lost], 5268, 370'],
      ['too many fields', 'GPU-00000000-0000-0000-0000-000000000000, 5268, ffmpeg, 370'],
      ['a message', 'No devices were found'],
    ])('should give undefined when the line has %s', (_what, line) => {
      // Act
      const app = parseComputeAppRow(line);

      // Assert
      expect(app).toBeUndefined();
    });
  });

  describe('isUnavailable', () => {
    it.each([
      [true, 'No devices were found'],
      [
        true,
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure " +
          'that the latest NVIDIA driver is installed and running.',
      ],
      [true, 'Failed to initialize NVML: Driver/library version mismatch'],
      [false, 'Unknown Error'],
    ])('should give %p when the message is %p', (expected, message) => {
      // Act
      const unavailable = isUnavailable(message);

      // Assert
      expect(unavailable).toBe(expected);
    });
  });

  describe('isDeviceError', () => {
    it.each([
      [true, 'Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error'],
      [
        true,
        'Unable to determine the device handle for GPU 0000:02:00.0: GPU is lost. Reboot the ' +
          'system to recover this GPU',
      ],
      [false, 'No devices were found'],
    ])('should give %p when the line is %p', (expected, line) => {
      // Act
      const deviceError = isDeviceError(line);

      // Assert
      expect(deviceError).toBe(expected);
    });
  });

  describe('arguments', () => {
    it('should ask for the fields in order with a loop when given an interval', () => {
      // Act
      const gpu = gpuQueryArgs(1000);
      const apps = computeAppsArgs(2500);

      // Assert
      expect(gpu).toEqual([
        '--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,' +
          'power.draw,power.limit,fan.speed,clocks.sm,clocks.max.sm',
        '--format=csv,noheader,nounits',
        '-lms',
        '1000',
      ]);
      expect(apps).toEqual([
        '--query-compute-apps=gpu_uuid,pid,used_memory',
        '--format=csv,noheader,nounits',
        '-lms',
        '2500',
      ]);
    });
  });

  describe('lineSplitter', () => {
    const split = (chunks: string[], maxLength = 4096) => {
      const lines: string[] = [];
      let overlong = 0;
      const splitter = lineSplitter(
        maxLength,
        (line) => lines.push(line),
        () => overlong++,
      );
      for (const chunk of chunks) {
        splitter.push(chunk);
      }
      return { lines, overlong, end: () => (splitter.end(), lines) };
    };

    it('should join a line when chunks split it anywhere', () => {
      // Arrange
      const text = `${H100_IDLE_BOARD}\n${H100_LOAD}\n`;
      const chunks = text.match(/[\s\S]{1,7}/g)!;

      // Act
      const { lines } = split(chunks);

      // Assert
      expect(lines).toEqual([H100_IDLE_BOARD, H100_LOAD]);
    });

    it('should drop a carriage return when lines end in CRLF', () => {
      // Act
      const { lines } = split(['No devices were found\r\n']);

      // Assert
      expect(lines).toEqual(['No devices were found']);
    });

    it('should drop a line longer than the bound when it comes in one or many chunks', () => {
      // Arrange
      const long = 'x'.repeat(50);

      // Act
      const whole = split([`${long}\nok\n`], 40);
      const pieces = split([long.slice(0, 30), long.slice(30), '\nok\n'], 40);

      // Assert
      expect(whole).toMatchObject({ lines: ['ok'], overlong: 1 });
      expect(pieces).toMatchObject({ lines: ['ok'], overlong: 1 });
    });

    it('should hand over the last line when the stream ends without a newline', () => {
      // Arrange
      const splitter = split(['Unknown Er', 'ror']);

      // Act
      const lines = splitter.end();

      // Assert
      expect(lines).toEqual(['Unknown Error']);
    });
  });
});
