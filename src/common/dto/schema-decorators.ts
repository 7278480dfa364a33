import {
  IsNumber,
  ValidateBy,
  ValidateIf,
  isInt,
  isObject,
  isString,
  matches,
  type ValidationOptions,
} from 'class-validator';
import { EVENT_ID_FORMAT } from './query-transforms.js';

// Validation rules the response DTOs share, so the DTO that documents a payload in OpenAPI is
// also the schema a gateway checks every Redis entry against.

/** A number JSON can carry: 1e400 parses to Infinity, which no reader expects. */
export const IsFiniteNumber = (options?: ValidationOptions): PropertyDecorator =>
  IsNumber({ allowNaN: false, allowInfinity: false }, options);

/** Present, and either null or what the other rules say (unlike @IsOptional: undefined fails). */
export const Nullable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== null);

/** A plain object whose every value is a string, such as an alert's labels. */
export const IsStringRecord = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isStringRecord',
      validator: {
        validate: (value: unknown) => isObject(value) && Object.values(value).every(isString),
        defaultMessage: () => '$property must be an object of strings',
      },
    },
    options,
  );

/** An event id as JSON carries it: a non-negative integer, or a Redis Stream id string. */
export const IsEventIdValue = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isEventIdValue',
      validator: {
        validate: (value: unknown) =>
          (isInt(value) && (value as number) >= 0) ||
          (isString(value) && matches(value, EVENT_ID_FORMAT)),
        defaultMessage: () => '$property must be an event id (an integer or a Redis Stream id)',
      },
    },
    options,
  );
