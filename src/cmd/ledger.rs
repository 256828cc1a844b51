use crate::cmd::Status;
use crate::data::DataDir;
use crate::partners;
use crate::session::couples;
use crate::session::sync_ledger;
use anyhow::bail;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose ledger: the two names, in either order [default: the only couple with a ledger]
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: Option<String>,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let partners = match &args.partners {
        Some(list) => partners::parse(list)?,
        None => {
            let couples = couples(&data);
            match couples.as_slice() {
                [] => {
                    println!(
                        "No ledger yet. Commitments and agreements made in an exercise appear here once it is finished."
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                [one] => one.clone(),
                many => {
                    let names: Vec<String> =
                        many.iter().map(|[a, b]| format!("\"{a},{b}\"")).collect();
                    bail!(
                        "there are ledgers for several couples; pick one with --partners: {}",
                        names.join(", ")
                    );
                }
            }
        }
    };
    let ledger = sync_ledger(&data, &partners)?;
    print!("{}", ledger.describe(chrono::Local::now().date_naive()));
    Ok(ExitCode::SUCCESS)
}
