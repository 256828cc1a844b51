/// mimalloc, not the system allocator: the engine allocates many small
/// strings per step, and malloc and free were over a third of its work
/// (docs/performance.md). Built without transparent huge pages (Cargo.toml
/// says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so `mend sessions | head -1` panicked on the
    // closed pipe ("failed printing to stdout"). With the default action
    // mend ends quietly there, as other command-line tools do.
    #[cfg(unix)]
    // SAFETY: the first thing main does, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    mend::cmd::main()
}
