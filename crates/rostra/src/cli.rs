//! The command line: one binary, several roles.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Rostra: comments, moderation and reader support for publishers.
#[derive(Debug, Parser)]
#[command(name = "rostra", version, about)]
pub struct Cli {
    /// A TOML configuration file (see `rostra config default`).
    #[arg(long, global = true, env = "ROSTRA_CONFIG")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The roles.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (creating the database and the demo site if needed).
    Serve(ServeArgs),
    /// Create or upgrade the database, then exit.
    Migrate(DataArgs),
    /// Show configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Fill a database with realistic comments, for benchmarks.
    Seed(SeedArgs),
    /// Manage sites.
    #[command(subcommand)]
    Site(SiteCommand),
    /// Write every row, or one site's, as Rostra JSON Lines (lossless,
    /// in a fixed order).
    Export(ExportArgs),
    /// Copy everything from one database into another, empty one (e.g.
    /// SQLite to PostgreSQL), then check that both export the same bytes.
    MigrateStore(MigrateStoreArgs),
    /// The toxicity model: train one, measure one, score a text.
    #[command(subcommand)]
    Moderation(ModerationCommand),
    /// Manage moderators and owners, and their API tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Donation campaigns: create, change, list; record donations by hand
    /// or from CSV.
    #[command(subcommand)]
    Campaign(crate::campaigns::CampaignCommand),
}

/// `moderation …`.
#[derive(Debug, Subcommand)]
pub enum ModerationCommand {
    /// Train a model from CSV files in the Jigsaw layout.
    Train(TrainArgs),
    /// Measure a model on a labelled CSV file: ROC-AUC per label, mean,
    /// comments per second.
    Eval(EvalArgs),
    /// Score one text and show the words that weighed most.
    Score {
        /// The text.
        text: String,
        /// A model file (default: the one shipped in the binary).
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

/// `moderation train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// CSV files, or directories whose `*.csv` files are all read.
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "toxicity.rtox")]
    pub out: PathBuf,
    /// Leave out this percentage of every source (the held-out split that
    /// `eval --held-out` measures on).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..100))]
    pub held_out: u8,
    /// Leave out every row of this source (leave-one-source-out).
    #[arg(long)]
    pub exclude_source: Vec<String>,
    /// Passes over the data.
    #[arg(long)]
    pub epochs: Option<u32>,
    /// The SGD step.
    #[arg(long)]
    pub learning_rate: Option<f32>,
    /// The hashed table has 2^bits slots of 8 bytes.
    #[arg(long, value_parser = clap::value_parser!(u8).range(8..=24))]
    pub bits: Option<u8>,
    /// Shortest character n-gram.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub min_n: Option<u8>,
    /// Longest character n-gram.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub max_n: Option<u8>,
    /// Seeds the order of examples.
    #[arg(long)]
    pub seed: Option<u64>,
    /// L2 penalty on the shared weights (each label's own weights get ten
    /// times as much).
    #[arg(long)]
    pub l2: Option<f32>,
    /// How far to even out sources of different sizes (0: every row alike,
    /// 1: every source alike).
    #[arg(long)]
    pub balance: Option<f32>,
    /// Train without a weight column per source.
    #[arg(long)]
    pub no_source_columns: bool,
    /// Keep this source's column and bias in the model (repeat for several:
    /// their mean), so it scores as those annotators would.
    #[arg(long)]
    pub keep_source: Vec<String>,
    /// Make the model the mean of the weights after each pass from this
    /// one (0-based) on; `none`: the weights after the last pass.
    #[arg(long)]
    pub average_from: Option<String>,
}

/// `moderation eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// CSV files (or directories) in the Jigsaw layout.
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// A model file (default: the one shipped in the binary).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Only the rows `train --held-out PCT` left out.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..100))]
    pub held_out: Option<u8>,
    /// Only the rows of this source.
    #[arg(long)]
    pub source: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also show what share of toxic and of other comments a site holding
    /// at this probability would hold.
    #[arg(long)]
    pub threshold: Option<f32>,
}

/// Where the data lives.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Data directory (default ./rostra-data).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Data directory.
    #[command(flatten)]
    pub data: DataArgs,
}

/// `config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented example with every default.
    Default,
    /// Print the configuration in force (file and environment applied).
    Show,
}

/// `seed`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Data directory.
    #[command(flatten)]
    pub data: DataArgs,
    /// The site (created, accepting any origin, if missing).
    #[arg(long, default_value = "demo")]
    pub site: String,
    /// The page URL; with --threads T > 1, threads are URL/1 … URL/T.
    #[arg(long)]
    pub url: String,
    /// Comments to add in all.
    #[arg(long)]
    pub comments: u64,
    /// Threads to spread them over.
    #[arg(long, default_value_t = 1)]
    pub threads: u64,
    /// Random seed, for repeatable data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Data directory.
    #[command(flatten)]
    pub data: DataArgs,
    /// Only this site (its threads, comments and votes; no installation
    /// secrets).
    #[arg(long)]
    pub site: Option<String>,
    /// Where to write: a file, or `-` for standard output.
    #[arg(long, default_value = "-")]
    pub out: PathBuf,
}

/// `migrate-store`.
#[derive(Debug, Args)]
pub struct MigrateStoreArgs {
    /// The database to copy: `sqlite://PATH` or `postgres://…`. It must
    /// exist; its schema is brought up to date first.
    #[arg(long)]
    pub from: String,
    /// The database to copy into, created and migrated if needed; it must
    /// hold no site, thread, comment or vote.
    #[arg(long)]
    pub to: String,
}

/// `site …`.
#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Create a site.
    Add {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// The site's id (lower-case letters, digits, hyphens).
        id: String,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// An origin its pages are served from (repeat for more); none means any.
        #[arg(long = "origin")]
        origins: Vec<String>,
        /// Hold every comment for a moderator.
        #[arg(long)]
        premoderate: bool,
    },
    /// List sites.
    List {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user (or take an existing one) and give them a role on a
    /// site. Without --password-stdin a password is generated and printed
    /// once.
    Add {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// The site.
        #[arg(long)]
        site: String,
        /// `owner` or `moderator`.
        #[arg(long, default_value = "moderator")]
        role: String,
        /// Login name.
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Where to mail news of held comments (per the site's
        /// `notify_moderators` setting).
        #[arg(long)]
        email: Option<String>,
    },
    /// Print a new API token for a user (shown once; send it as
    /// `Authorization: Bearer …`).
    Token {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// Login name.
        #[arg(long)]
        name: String,
        /// What the token is for.
        #[arg(long)]
        label: Option<String>,
    },
    /// List users and their roles.
    List {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
    },
    /// Take a user's role on a site away (a moderator who left). Their
    /// sessions and tokens stop working on that site at once.
    Remove {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// The site.
        #[arg(long)]
        site: String,
        /// Login name.
        #[arg(long)]
        name: String,
    },
    /// List a user's sessions and API tokens in force (never their secrets).
    Tokens {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// Login name.
        #[arg(long)]
        name: String,
    },
    /// Revoke one of a user's sessions or tokens (by the id `user tokens`
    /// shows), or all of them.
    Revoke {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// Login name.
        #[arg(long)]
        name: String,
        /// The id of the session or token.
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        id: Option<String>,
        /// Every session and token of the user.
        #[arg(long)]
        all: bool,
    },
    /// Set a new password (generated and printed once without
    /// --password-stdin); the user's login sessions end, tokens stay.
    Password {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// Login name.
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
