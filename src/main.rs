/// mimalloc, not the system allocator: the engine allocates many small
/// strings per step, and malloc and free were over a third of its work
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mend::cmd::main()
}
