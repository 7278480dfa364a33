import { SampleDto } from '../../hub/dto/sample.dto.js';

/** A page of retained samples. */
export class SampleHistoryDto {
  /** Samples, oldest first. */
  samples!: SampleDto[];
  /** The oldest retained id (page from here); null before the first sample. */
  oldest!: number | null;
  /** The newest retained id; null before the first sample. */
  newest!: number | null;
}
