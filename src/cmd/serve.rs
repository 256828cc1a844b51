//! `mend serve`: the sittings of `mend session` in a web page, at one screen
//! or on two devices.

use crate::cmd::Status;
use crate::web::{Config, Places, serve};
use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on; anything but 127.0.0.1 or ::1 lets other devices in (see docs/serve.md)
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub listen: IpAddr,
    /// The port (0 picks a free one)
    #[arg(long, default_value_t = 8750, value_name = "N")]
    pub port: u16,
}

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let config = Config {
        listen: args.listen,
        port: args.port,
        places: Places {
            exercises: exercises.map(Path::to_owned),
            data: data.map(Path::to_owned),
        },
    };
    serve(config, &mut std::io::stdout())?;
    Ok(ExitCode::SUCCESS)
}
