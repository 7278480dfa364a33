// ts-jest AST transformer: runs the @nestjs/swagger CLI plugin under Jest, as nest-cli.json does
// for `nest build`, so e2e tests see the same OpenAPI schemas as the built service.
const { before } = require('@nestjs/swagger/plugin');

module.exports = {
  name: 'nestjs-swagger-transformer',
  version: 1,
  factory: (cs) =>
    before({ classValidatorShim: true, introspectComments: true, esmCompatible: true }, cs.program),
};
