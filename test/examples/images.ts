/**
 * Facts about every container image the README, docs/*.md and apps/ use, each from the upstream
 * page given in `source` (the image's Dockerfile or its documentation). docs/images.md renders
 * this table for readers; test/examples/images.test.ts checks it against what we configure.
 */
export interface ImageFacts {
  /** The reference as written (`<registry>` stands for the platform's registry host). */
  readonly image: string;
  /** UID the image's process runs as: its `USER`, or the user its entrypoint drops to. */
  readonly user: number | 'unset';
  /** GID of that user. */
  readonly group: number | 'unset';
  /** Whether upstream documents running as another non-root UID (we may then pick one). */
  readonly anyUser: boolean;
  /** Port the process listens on; 'none' for images we only run commands of (Jobs). */
  readonly port: number | 'none';
  /** Paths the process writes at run time: each needs a volume with a read-only root filesystem. */
  readonly writablePaths: readonly string[];
  /** The upstream page these facts come from. */
  readonly source: string;
  /** What the source says, in our words. */
  readonly notes: string;
}

export const IMAGES: readonly ImageFacts[] = [
  {
    image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
    user: 101,
    group: 101,
    anyUser: false,
    port: 8080,
    writablePaths: ['/tmp'],
    source: 'https://github.com/nginx/docker-nginx-unprivileged#readme',
    notes: 'listens on 8080, no `user` directive, pid file /tmp/nginx.pid and every *_temp_path under /tmp; runs as the nginx user 101',
  },
  {
    image: 'wordpress:6.6.2-php8.2-apache',
    user: 33,
    group: 33,
    anyUser: true,
    port: 80,
    writablePaths: ['/var/www/html', '/var/run/apache2', '/var/lock/apache2', '/tmp'],
    source: 'https://github.com/docker-library/docs/blob/master/wordpress/content.md#running-as-an-arbitrary-user',
    notes:
      'Apache on port 80 as www-data (33); the entrypoint copies WordPress into /var/www/html; a non-root start needs port 80 allowed (sysctl net.ipv4.ip_unprivileged_port_start)',
  },
  {
    image: 'redis:7.4.2',
    user: 999,
    group: 999,
    anyUser: true,
    port: 6379,
    writablePaths: ['/data'],
    source: 'https://github.com/docker-library/redis/blob/master/7.4/debian/Dockerfile',
    notes: 'user redis 999:999, WORKDIR and VOLUME /data, EXPOSE 6379; the entrypoint only drops privileges when started as root',
  },
  {
    image: 'redis:7.4.2-alpine',
    user: 999,
    group: 1000,
    anyUser: true,
    port: 6379,
    writablePaths: ['/data'],
    source: 'https://github.com/docker-library/redis/blob/master/7.4/alpine/Dockerfile',
    notes: 'user redis 999 in group 1000, WORKDIR and VOLUME /data, EXPOSE 6379',
  },
  {
    image: 'mariadb:11.4.5',
    user: 999,
    group: 999,
    anyUser: true,
    port: 3306,
    writablePaths: ['/var/lib/mysql', '/run/mysqld', '/tmp'],
    source: 'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/Dockerfile',
    notes: 'user mysql 999:999, VOLUME /var/lib/mysql, socket and pid in /run/mysqld, EXPOSE 3306',
  },
  {
    image: 'postgres:16.6',
    user: 999,
    group: 999,
    anyUser: true,
    port: 5432,
    writablePaths: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'],
    source: 'https://github.com/docker-library/docs/blob/master/postgres/content.md#arbitrary---user-notes',
    notes: 'user postgres 999:999, PGDATA /var/lib/postgresql/data, socket in /var/run/postgresql, EXPOSE 5432; arbitrary --user supported',
  },
  {
    image: '<registry>/demo/metrics-demo:1.0.0',
    user: 'unset',
    group: 'unset',
    anyUser: true,
    port: 5000,
    writablePaths: ['/tmp'],
    source: 'https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run',
    notes:
      "the seeds' own image (FROM python:3.6-alpine, CMD python app.py, no USER): Flask's app.run serves on 5000 by default; it writes nothing but temp files",
  },
  {
    image: 'busybox:1.37.0',
    user: 0,
    group: 0,
    anyUser: true,
    port: 'none',
    writablePaths: [],
    source: 'https://github.com/docker-library/docs/blob/master/busybox/content.md',
    notes: 'no USER (root by default) and no server: the shell and applets such as echo run as any UID and write nothing unless told to',
  },
];

/** Image-like strings in the README, docs and apps that are prose, not images we run, and why. */
export const NOT_RUN: Readonly<Record<string, string>> = {
  'postgres:16': "docs/stateful-store.md: the image family the PostgreSQL preset's data path matches",
  'redis:5-alpine': "apps/node-agent.ts: the seeds' end-of-life tag, named as what the example replaces",
  'nginx:1.27.3-alpine': 'docs/images.md: the stock nginx image, named to say why we run its unprivileged build instead',
};
