//! Every limit mend enforces, in one place; docs/limits.md explains each and
//! what a user sees when it is hit.

/// An exercise file larger than this is rejected before it is parsed.
pub const EXERCISE_FILE_BYTES: usize = 256 * 1024;
/// An exercise file with its YAML aliases expanded (estimated from the
/// text before parsing): four times the file limit.
pub const YAML_EXPANDED_BYTES: usize = 4 * EXERCISE_FILE_BYTES;
/// A test plan (or words.yaml) larger than this is rejected before it is
/// parsed. Plans are larger than the exercises they test: each rule gets
/// cases for the inputs it must catch and the sincere sentences it must let
/// through, and they run only in `mend test`, never in the room.
pub const PLAN_FILE_BYTES: usize = 1024 * 1024;
/// The library's shared word lists (`words.yaml`): every list the
/// exercises share, each phrase of which is one line's worth; read once
/// per library, like a plan, so held to the plan bound.
pub const WORD_LISTS_FILE_BYTES: usize = PLAN_FILE_BYTES;
/// A test plan or words.yaml with its YAML aliases expanded: four times
/// the plan limit.
pub const PLAN_EXPANDED_BYTES: usize = 4 * PLAN_FILE_BYTES;
/// Open flow brackets (`[`, `{`) in a YAML file, counted in its text before
/// it is parsed: twice the parser's own nesting limit (128), which it
/// enforces only after scanning the whole flow at a cost that grows with
/// the square of the depth.
pub const YAML_FLOW_DEPTH: usize = 256;
/// Steps in one exercise, counting the steps inside blocks.
pub const STEPS: usize = 500;
/// One answer, in characters. Longer answers are refused and asked again.
pub const ANSWER_CHARS: usize = 16_000;
/// How often one step may run in one round unless the step sets `max_visits`.
pub const DEFAULT_VISITS: u32 = 10;
/// The most an author may set `max_visits` to.
pub const MAX_VISITS: u32 = 100;
/// rhai operations per script evaluation: a `loop {}` stops well within a second.
pub const SCRIPT_OPERATIONS: u64 = 200_000;
pub const SCRIPT_STRING_BYTES: usize = 256 * 1024;
/// Items in one array or entries in one map, counting those nested inside:
/// also bounds how deeply a script can nest values while it runs (each
/// level is an item), which rhai's size checks walk recursively.
pub const SCRIPT_COLLECTION_ITEMS: usize = 5_000;
/// Wall time per script evaluation: cheap operations are bounded by
/// `SCRIPT_OPERATIONS`, but a few costly ones (searching a long string)
/// could run for seconds each within it.
pub const SCRIPT_MILLISECONDS: u64 = 2_000;
/// How deeply a value may nest (YAML `vars`, values scripts keep): far
/// more than any exercise needs, and far below serde_json's recursion
/// limit (128), so every saved state can be read back.
pub const VALUE_DEPTH: usize = 32;
/// All of one run's variables together, in bytes as saved: each string and
/// collection is bounded on its own, this bounds a map grown key by key
/// across many steps.
pub const RUN_VALUES_BYTES: usize = 256 * 1024;
pub const SCRIPT_CALL_DEPTH: usize = 32;
pub const SCRIPT_EXPR_DEPTH: usize = 64;
pub const SCRIPT_VARIABLES: usize = 256;
pub const SCRIPT_FUNCTIONS: usize = 64;
/// minijinja fuel per render: bounds loops in templates.
pub const TEMPLATE_FUEL: u64 = 200_000;
/// How deeply templates may nest calls (macros, includes).
pub const TEMPLATE_RECURSION: usize = 50;
/// Rendered text longer than this is an error, so a template cannot flood the screen.
pub const RENDERED_CHARS: usize = 256 * 1024;
/// A partner's name, in characters.
pub const NAME_CHARS: usize = 40;
/// A session journal past this size is compacted: rewritten with only the
/// start, each exercise's header and its last state. Twenty times a full
/// `i-statements` journal, so ordinary sessions are never rewritten; small
/// enough that reading every journal (for the couple's ledger) stays quick.
pub const JOURNAL_COMPACT_BYTES: usize = 1024 * 1024;
/// One exercise's saved state (one journal `state` line), which compaction
/// cannot shrink. A change that would pass it is refused and nothing is
/// written: an answer is asked again, like an over-long one. 1 MiB is about
/// 65 answers of the longest kind (16,000 characters) in one exercise, and
/// 200 times the state of a full `i-statements` run.
pub const JOURNAL_STATE_BYTES: usize = 1024 * 1024;

/// `mend serve` (docs/serve.md): a request body, at most the longest answer
/// with every character escaped at its longest in JSON, and room for the rest.
pub const SERVE_BODY_BYTES: usize = ANSWER_CHARS * 6 + 1024;
/// Seconds a client has to send a request's headers.
pub const SERVE_HEADER_SECONDS: u64 = 10;
/// Seconds a change may take, from its body's first byte to the answer.
pub const SERVE_CHANGE_SECONDS: u64 = 15;
/// Seconds a change waits for its sitting before answering with the sitting
/// busy; shorter than a change may take, so a busy sitting is never
/// mistaken for a slow client.
pub const SERVE_SETTLE_SECONDS: u64 = 5;
/// Wrong keys one address may present within the window before it is
/// refused for the rest of it.
pub const SERVE_GUESSES: u32 = 20;
pub const SERVE_GUESS_WINDOW_SECONDS: u64 = 60;
/// Sittings one server holds at once (each has a thread); ended ones make room.
pub const SERVE_SITTINGS: usize = 1000;

/// The largest archive `mend import` reads, and `mend export` writes: it is
/// read whole, so a file (or a decrypted stream) past this is refused
/// before it can take the machine's memory.
pub const ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;
/// The most work a passphrase archive may ask of scrypt (log2 of N): 2^20
/// needs 1 GiB. age's encryptor calibrates to about one second (2^18 here);
/// a file asking more is refused instead of exhausting memory.
pub const ARCHIVE_SCRYPT_WORK_FACTOR: u8 = 20;
