fn main() -> std::process::ExitCode {
    mend::cmd::main()
}
