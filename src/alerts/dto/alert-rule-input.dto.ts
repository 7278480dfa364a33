import {
  IsDefined,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/** One rule as written in VITALS_ALERTS_FILE, before it is checked against the sample. */
export class AlertRuleInputDto {
  // class-validator checks a property's constraints bottom-up: presence first.
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString({ message: 'name must be a text' })
  @IsDefined({ message: 'name is required' })
  name!: string;

  @IsString({ message: 'metric must be a dotted path such as memory.usage' })
  @IsDefined({ message: 'metric is required' })
  metric!: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'warning must be a number' })
  warning?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'critical must be a number' })
  critical?: number;

  // A number is accepted only as 0; anything else needs a unit, as in Prometheus.
  @IsOptional()
  @ValidateIf((rule: AlertRuleInputDto) => rule.for !== 0)
  @IsString({ message: 'for must be a duration such as 30s, 5m or 1h30m' })
  for?: string | number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'hysteresis must be a number' })
  @Min(0, { message: 'hysteresis must not be negative' })
  hysteresis?: number;
}
