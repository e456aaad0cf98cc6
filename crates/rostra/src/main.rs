//! `rostra`: parse the command line and run it.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = rostra::cli::Cli::parse();
    match rostra::commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rostra: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
