/**
 * The cache's schema, one entry per version (PRAGMA user_version). A released entry is never
 * edited; a new one is appended. The cache is a cache: a version this app cannot read is wiped
 * and rebuilt from the server.
 */
/** Accents folded (perché finds perche), and prefix indexes so typing a word's start stays fast. */
const FOLDED = `tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'`;

export const CACHE_MIGRATIONS: readonly string[] = [
  `
  create table conversations (
    id integer primary key,
    last_message_at integer,
    assigned_agent_id integer,
    unread_count integer not null default 0,
    customer_name text,
    customer_phone text,
    summary_json text not null,
    seq integer not null default 0
  );
  create index conversations_by_time on conversations (last_message_at desc, id desc);

  create table messages (
    id integer primary key,
    conversation_id integer not null,
    sent_at integer not null,
    search_text text,
    view_json text not null,
    seq integer not null default 0
  );
  create index messages_by_conversation on messages (conversation_id, sent_at desc, id desc);

  create virtual table messages_fts using fts5 (search_text, content = 'messages', content_rowid = 'id', ${FOLDED});
  create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts (rowid, search_text) values (new.id, new.search_text);
  end;
  create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts (messages_fts, rowid, search_text) values ('delete', old.id, old.search_text);
  end;
  create trigger messages_fts_update after update of search_text on messages begin
    insert into messages_fts (messages_fts, rowid, search_text) values ('delete', old.id, old.search_text);
    insert into messages_fts (rowid, search_text) values (new.id, new.search_text);
  end;

  create virtual table contacts_fts using fts5 (customer_name, customer_phone, content = 'conversations', content_rowid = 'id', ${FOLDED});
  create trigger contacts_fts_insert after insert on conversations begin
    insert into contacts_fts (rowid, customer_name, customer_phone) values (new.id, new.customer_name, new.customer_phone);
  end;
  create trigger contacts_fts_delete after delete on conversations begin
    insert into contacts_fts (contacts_fts, rowid, customer_name, customer_phone) values ('delete', old.id, old.customer_name, old.customer_phone);
  end;
  create trigger contacts_fts_update after update of customer_name, customer_phone on conversations begin
    insert into contacts_fts (contacts_fts, rowid, customer_name, customer_phone) values ('delete', old.id, old.customer_name, old.customer_phone);
    insert into contacts_fts (rowid, customer_name, customer_phone) values (new.id, new.customer_name, new.customer_phone);
  end;

  create table outbox (
    client_message_id text primary key,
    conversation_id integer not null,
    request_json text not null,
    state text not null,
    attempts integer not null default 0,
    error_code text,
    error_message text,
    server_message_id integer,
    created_at integer not null,
    updated_at integer not null
  );
  create index outbox_by_conversation on outbox (conversation_id, created_at);

  create table media_index (
    media_id integer primary key,
    file_name text not null,
    mime_type text not null,
    size integer not null,
    last_used_at integer not null
  );
  create index media_by_use on media_index (last_used_at);

  create table sync_state (
    key text primary key,
    value text not null
  );
  `,
  // 2: what the feed said to forget (another agent took the conversation) and at which seq, so
  // nothing older brings it back; each message's media id, so cached media follows its message.
  `
  create table forgotten_conversations (
    id integer primary key,
    seq integer not null
  );

  alter table messages add column media_id integer;
  update messages set media_id = view_json ->> '$.media.id';
  create index messages_by_media on messages (media_id) where media_id is not null;

  create trigger messages_media_forget after delete on messages
  when old.media_id is not null and not exists (select 1 from messages where media_id = old.media_id) begin
    delete from media_index where media_id = old.media_id;
  end;
  create trigger messages_media_moved after update of media_id on messages
  when old.media_id is not null and old.media_id is not new.media_id and not exists (select 1 from messages where media_id = old.media_id) begin
    delete from media_index where media_id = old.media_id;
  end;
  `,
  // 3: a deleted row's words leave the search indexes at once. FTS5 otherwise only marks them
  // deleted, and the words of a conversation taken from this agent stayed in the index's segments
  // until a merge happened to rewrite them. 'optimize' once rewrites what earlier versions left.
  `
  insert into messages_fts (messages_fts, rank) values ('secure-delete', 1);
  insert into contacts_fts (contacts_fts, rank) values ('secure-delete', 1);
  insert into messages_fts (messages_fts) values ('optimize');
  insert into contacts_fts (contacts_fts) values ('optimize');
  `,
  // 4: several business numbers. Each conversation's number, so the list and the search can keep
  // to one; summaries cached before it get the number's name (its ID, until the server's next word).
  `
  alter table conversations add column business_phone_number_id text;
  update conversations set business_phone_number_id = summary_json ->> '$.businessPhoneNumberId',
    summary_json = json_set(summary_json, '$.businessNumberName', coalesce(summary_json ->> '$.businessNumberName', summary_json ->> '$.businessPhoneNumberId'));
  create index conversations_by_number on conversations (business_phone_number_id, last_message_at desc, id desc);
  `,
  // 5: internal notes, searched like messages. A conversation that leaves this agent takes its
  // notes with it: deleted with the conversation's row, and those older than the feed's word that
  // it left (forgotten_conversations) go as its older messages do.
  `
  create table notes (
    id integer primary key,
    conversation_id integer not null,
    created_at integer not null,
    search_text text,
    view_json text not null,
    seq integer not null default 0
  );
  create index notes_by_conversation on notes (conversation_id, created_at desc, id desc);

  create virtual table notes_fts using fts5 (search_text, content = 'notes', content_rowid = 'id', ${FOLDED});
  insert into notes_fts (notes_fts, rank) values ('secure-delete', 1);
  create trigger notes_fts_insert after insert on notes begin
    insert into notes_fts (rowid, search_text) values (new.id, new.search_text);
  end;
  create trigger notes_fts_delete after delete on notes begin
    insert into notes_fts (notes_fts, rowid, search_text) values ('delete', old.id, old.search_text);
  end;
  create trigger notes_fts_update after update of search_text on notes begin
    insert into notes_fts (notes_fts, rowid, search_text) values ('delete', old.id, old.search_text);
    insert into notes_fts (rowid, search_text) values (new.id, new.search_text);
  end;

  create trigger conversations_take_their_notes after delete on conversations begin
    delete from notes where conversation_id = old.id;
  end;
  create trigger forgotten_conversations_take_their_notes after insert on forgotten_conversations begin
    delete from notes where conversation_id = new.id and seq < new.seq;
  end;
  create trigger forgotten_again_take_their_notes after update of seq on forgotten_conversations begin
    delete from notes where conversation_id = new.id and seq < new.seq;
  end;
  `,
  // 6: conversation states and histories (server migration 0016). Each conversation's state, so
  // each list keeps to one (open by default); summaries cached before it were all open. What the
  // lists' coverage said was of lists of every state: it is learnt again. Each conversation's
  // history entries (system lines), gone with their conversation as its messages are.
  `
  alter table conversations add column state text not null default 'open';
  update conversations set summary_json = json_insert(summary_json, '$.state', 'open', '$.snoozedUntil', null, '$.resolvedAt', null,
    '$.resolvedBy', null, '$.previousConversationId', null);
  create index conversations_by_state on conversations (state, last_message_at desc, id desc);
  delete from sync_state where key like 'covered:conversations:%';

  create table history_entries (
    id integer primary key,
    conversation_id integer not null,
    at integer not null,
    entry_json text not null,
    seq integer not null default 0
  );
  create index history_by_conversation on history_entries (conversation_id, at desc, id desc);
  `,
  // 7: teams (server migration 0013). Each conversation's team, so the lists, the search and the
  // media follow the visibility rule's teams in SQL; summaries cached before it have none (seen
  // only if one's own).
  `
  alter table conversations add column team_id integer;
  update conversations set team_id = summary_json ->> '$.teamId';
  `,
  // 8: conversation summaries name their assignee and, while queued, since when they wait (the
  // desk's list). Summaries cached before it have neither: what the lists' coverage said is
  // learnt again, so each list's next read comes from the server and rewrites them.
  `
  delete from sync_state where key like 'covered:conversations:%';
  `,
  // 9: the queue is listed oldest waiting first (common/api/conversation-order.ts): each
  // conversation's `queuedSince` as a column, from the summaries cached; null (not waiting) sorts
  // after every one that waits. The queue list's coverage was of the newest-first order: learnt again.
  `
  alter table conversations add column queued_since integer;
  update conversations set queued_since = summary_json ->> '$.queuedSince';
  create index conversations_by_queue on conversations (queued_since, id);
  delete from sync_state where key like 'covered:conversations:unassigned:open%';
  `,
  // 10: scheduled messages and this agent's reminders (server migration 0033), from the feed
  // (`scheduled_message`, `reminder`) and the lists read from the server, each row at the feed seq
  // of the state it holds; gone with their conversation, and refused or dropped when older than
  // the word that the conversation left this agent (as notes are, 5).
  `
  create table scheduled_messages (
    id integer primary key,
    conversation_id integer not null,
    view_json text not null,
    seq integer not null default 0
  );
  create index scheduled_by_conversation on scheduled_messages (conversation_id);
  create table reminders (
    conversation_id integer primary key,
    view_json text not null,
    seq integer not null default 0
  );
  create trigger conversations_take_their_schedule after delete on conversations begin
    delete from scheduled_messages where conversation_id = old.id;
    delete from reminders where conversation_id = old.id;
  end;
  create trigger forgotten_conversations_take_their_schedule after insert on forgotten_conversations begin
    delete from scheduled_messages where conversation_id = new.id and seq < new.seq;
    delete from reminders where conversation_id = new.id and seq < new.seq;
  end;
  create trigger forgotten_again_take_their_schedule after update of seq on forgotten_conversations begin
    delete from scheduled_messages where conversation_id = new.id and seq < new.seq;
    delete from reminders where conversation_id = new.id and seq < new.seq;
  end;
  `,
];
