import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { PUBLIC_DIR } from './dashboard-assets.js';

// The page at / and its files. Only / renders index.html: any other unknown path stays a JSON
// 404 rather than the page, and the API routes, registered first, always win.
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: PUBLIC_DIR,
      renderPath: '/',
      serveStaticOptions: { index: false, dotfiles: 'ignore', fallthrough: true },
    }),
  ],
})
export class DashboardModule {}
