import { BadRequestException } from '@nestjs/common';
import { RequestValidationPipe } from '../../common/request-validation.pipe.js';
import { StreamQueryDto } from './stream-query.dto.js';

describe('StreamQueryDto', () => {
  const pipe = new RequestValidationPipe();
  const validate = (query: Record<string, unknown>): Promise<unknown> =>
    pipe.transform(query, { type: 'query', metatype: StreamQueryDto });

  const rejection = async (query: Record<string, unknown>): Promise<Record<string, unknown>> => {
    try {
      await validate(query);
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as BadRequestException).getResponse() as Record<string, unknown>;
    }
    throw new Error('expected a validation error');
  };

  it('should accept no groups when the query is empty', async () => {
    await expect(validate({})).resolves.toEqual({});
  });

  it('should give an instance of the query class when an empty query is validated again', async () => {
    await validate({});

    const again = await validate({});

    expect(again).toBeInstanceOf(StreamQueryDto);
    expect(again).toEqual({});
  });

  it('should split, trim and dedupe groups when given a comma-separated list', async () => {
    await expect(validate({ groups: 'memory, cpu,memory' })).resolves.toEqual({
      groups: ['memory', 'cpu'],
    });
  });

  it('should merge repeated parameters when groups is given more than once', async () => {
    await expect(validate({ groups: ['cpu', 'memory'] })).resolves.toEqual({
      groups: ['cpu', 'memory'],
    });
  });

  it('should reject with INVALID_QUERY naming the group when a group is unknown', async () => {
    const response = await rejection({ groups: 'cpu,gpu' });

    expect(response).toEqual({
      code: 'INVALID_QUERY',
      message: [
        'groups has unknown group(s) ["gpu"]; allowed: cpu, memory, disks, diskIo, network, ' +
          'processes, sensors, uptime, container, containers, gpus, self',
      ],
    });
  });

  it('should reject when groups is empty', async () => {
    const response = await rejection({ groups: '' });

    expect(response.code).toBe('INVALID_QUERY');
    expect(String(response.message)).toContain('groups');
  });

  it('should reject when groups is not a list of names', async () => {
    const response = await rejection({ groups: { a: 'cpu' } });

    expect(response.code).toBe('INVALID_QUERY');
    expect(String(response.message)).toContain('groups');
  });

  it('should reject with the parameter name when the query has an unknown parameter', async () => {
    const response = await rejection({ group: 'cpu' });

    expect(response).toEqual({
      code: 'INVALID_QUERY',
      message: ['property group should not exist'],
    });
  });
});
