import type { Migration } from '@ticketops/plugin-sdk';

export const migrations: Migration[] = [
  {
    name: '0001-categories-articles',
    up: [
      // Language → text search configuration; immutable so generated columns and indexes may use it.
      `create function knowledge_base_regconfig(language text) returns regconfig language sql immutable parallel safe
         as $$ select case language when 'de' then 'german'::regconfig else 'english'::regconfig end $$`,
      // A tree of at most three levels; depth is stored so the limit is one check, not a recursive query.
      `create table knowledge_base_category (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        parent_id text,
        depth smallint not null check (depth between 1 and 3),
        position integer not null default 0,
        names jsonb not null check (jsonb_typeof(names) = 'object'),
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (tenant_id, id),
        foreign key (tenant_id, parent_id) references knowledge_base_category (tenant_id, id)
      )`,
      `create index knowledge_base_category_parent on knowledge_base_category (tenant_id, parent_id, position)`,
      `create table knowledge_base_article (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        category_id text,
        slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
        state text not null default 'draft' check (state in ('draft', 'published', 'archived')),
        visibility text not null default 'internal' check (visibility in ('public', 'internal')),
        default_language text not null check (default_language in ('en', 'de')),
        tags text[] not null default '{}',
        author_id text references app_user (id) on delete set null,
        updated_by text references app_user (id) on delete set null,
        version integer not null default 1,
        published_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (tenant_id, id),
        unique (tenant_id, slug),
        foreign key (tenant_id, category_id) references knowledge_base_category (tenant_id, id)
      )`,
      `create index knowledge_base_article_category on knowledge_base_article (tenant_id, category_id)`,
      `create index knowledge_base_article_tags on knowledge_base_article using gin (tags)`,
      // One row per language; title weighs more than body (A > B) in ranking.
      `create table knowledge_base_translation (
        tenant_id text not null,
        article_id text not null,
        language text not null check (language in ('en', 'de')),
        title text not null check (length(title) between 1 and 300),
        body text not null,
        search_vector tsvector generated always as (
          setweight(to_tsvector(knowledge_base_regconfig(language), title), 'A') || setweight(to_tsvector(knowledge_base_regconfig(language), body), 'B')
        ) stored,
        primary key (article_id, language),
        foreign key (tenant_id, article_id) references knowledge_base_article (tenant_id, id) on delete cascade
      )`,
      `create index knowledge_base_translation_search on knowledge_base_translation using gin (search_vector)`,
      // Every save is a revision: a full snapshot of the content, never changed afterwards.
      `create table knowledge_base_revision (
        tenant_id text not null,
        article_id text not null,
        number integer not null,
        action text not null check (action in ('created', 'updated', 'published', 'archived', 'restored')),
        snapshot jsonb not null,
        created_by text references app_user (id) on delete set null,
        created_at timestamptz not null default now(),
        primary key (article_id, number),
        foreign key (tenant_id, article_id) references knowledge_base_article (tenant_id, id) on delete cascade
      )`,
      `create function knowledge_base_revision_immutable() returns trigger language plpgsql as $$
       begin raise exception 'knowledge_base_revision rows are immutable'; end $$`,
      `create trigger knowledge_base_revision_immutable before update on knowledge_base_revision for each row execute function knowledge_base_revision_immutable()`,
      // Articles an agent linked to a ticket (the link table is ours; the ticket is the kernel's).
      `create table knowledge_base_ticket_link (
        tenant_id text not null,
        ticket_id text not null references ticket (id) on delete cascade,
        article_id text not null,
        linked_by text references app_user (id) on delete set null,
        created_at timestamptz not null default now(),
        primary key (ticket_id, article_id),
        foreign key (tenant_id, article_id) references knowledge_base_article (tenant_id, id) on delete cascade
      )`,
      `create index knowledge_base_ticket_link_article on knowledge_base_ticket_link (article_id)`,
    ],
  },
];
