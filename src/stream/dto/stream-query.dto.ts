import { GroupsQueryDto } from '../../common/dto/groups-query.dto.js';

/** Query options of `GET /api/v1/stream`. */
export class StreamQueryDto extends GroupsQueryDto {}
