//! What each subcommand does.

use crate::cli::{
    Cli, Command, ConfigCommand, DataArgs, ExportArgs, MigrateStoreArgs, ModerationCommand,
    SiteCommand,
};
use crate::config::{redact_password, Config, DEFAULT_TOML};
use crate::migrate_store::Comparison;
use crate::startup::{open_store, open_store_url, sqlite_path, Application};
use crate::{export, migrate_store, moderation, progress, seed, telemetry};
use anyhow::Context;
use rostra_core::{ModerationMode, Origin, SiteId, SiteSettings};
use rostra_service::Service;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn with_data_dir(mut config: Config, data: &DataArgs) -> Config {
    if let Some(dir) = &data.data_dir {
        config.server.data_dir = dir.clone();
    }
    config
}

pub(crate) async fn service(config: &Config) -> anyhow::Result<Service> {
    let store = open_store(config).await?;
    Ok(Service::new(store, config.limits.clone()).await?)
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref()).context("reading the configuration")?;
    match cli.command {
        Command::Config(ConfigCommand::Default) => {
            print!("{DEFAULT_TOML}{}", crate::mail_config::DEFAULT_TOML);
            Ok(())
        }
        Command::Config(ConfigCommand::Show) => {
            print!("{}", toml::to_string_pretty(&config.redacted())?);
            Ok(())
        }
        Command::Serve(args) => {
            let mut config = with_data_dir(config, &args.data);
            if let Some(listen) = args.listen {
                config.server.listen = listen;
            }
            telemetry::init(&config.log);
            let app = Application::build(&config).await?;
            let stop = crate::startup::shutdown_signal()?;
            let addr = app.local_addr();
            tracing::info!(%addr, data_dir = %config.server.data_dir.display(), "rostra is serving");
            println!("Rostra is serving at http://{addr}/  (API: http://{addr}/api/openapi.json)");
            app.run_until(stop).await
        }
        Command::Migrate(data) => {
            let config = with_data_dir(config, &data);
            telemetry::init(&config.log);
            open_store(&config).await?;
            println!(
                "database at {} is up to date",
                crate::config::redact_password(&config.database_url())
            );
            Ok(())
        }
        Command::Seed(args) => {
            let config = with_data_dir(config, &args.data);
            telemetry::init(&config.log);
            let service = service(&config).await?;
            let site = seed::site(&service, &args.site).await?;
            let started = std::time::Instant::now();
            let n = seed::run(
                service.store().clone(),
                seed::SeedPlan {
                    site,
                    url: args.url,
                    comments: args.comments,
                    threads: args.threads,
                    seed: args.seed,
                },
            )
            .await?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "seeded {n} comments in {secs:.1} s ({:.0} comments/s)",
                n as f64 / secs.max(1e-9)
            );
            Ok(())
        }
        Command::Site(SiteCommand::Add {
            data,
            id,
            name,
            origins,
            premoderate,
        }) => {
            let config = with_data_dir(config, &data);
            let service = service(&config).await?;
            let id = SiteId::parse(&id).map_err(|e| anyhow::anyhow!(e.message))?;
            let origins = origins
                .iter()
                .map(|o| Origin::parse(o).map_err(|e| anyhow::anyhow!(e.message)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let settings = SiteSettings {
                moderation: if premoderate {
                    ModerationMode::Pre
                } else {
                    ModerationMode::Post
                },
                ..SiteSettings::default()
            };
            let site = service
                .sites()
                .create(
                    id.clone(),
                    name.unwrap_or_else(|| id.to_string()),
                    origins,
                    settings,
                )
                .await?;
            println!("created site {}", site.id);
            Ok(())
        }
        Command::Export(args) => {
            let config = with_data_dir(config, &args.data);
            telemetry::init(&config.log);
            export_to(&config, &args).await
        }
        Command::Moderation(ModerationCommand::Train(args)) => moderation::train_command(&args),
        Command::Moderation(ModerationCommand::Eval(args)) => moderation::eval_command(&args),
        Command::Moderation(ModerationCommand::Score { text, model }) => {
            moderation::score_command(&text, model.as_deref())
        }
        Command::MigrateStore(args) => {
            telemetry::init(&config.log);
            migrate(&config, &args).await
        }
        Command::Campaign(command) => {
            let config = with_data_dir(config, command.data());
            let service = service(&config).await?;
            crate::campaigns::run(&service, command, &config.server.public_url).await
        }
        Command::User(command) => {
            let config = with_data_dir(config, command.data());
            let service = service(&config).await?;
            crate::users::run(&service, command).await
        }
        Command::Site(SiteCommand::List { data }) => {
            let config = with_data_dir(config, &data);
            let service = service(&config).await?;
            for site in service.sites().all().await? {
                let origins: Vec<&str> = site.allowed_origins.iter().map(|o| o.as_str()).collect();
                println!(
                    "{}\t{}\t{}",
                    site.id,
                    site.name,
                    if origins.is_empty() {
                        "*".into()
                    } else {
                        origins.join(" ")
                    }
                );
            }
            Ok(())
        }
    }
}

/// `export`: to standard output, or to a file that appears whole (written
/// as `FILE.partial`, renamed at the end).
async fn export_to(config: &Config, args: &ExportArgs) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let site = match &args.site {
        Some(id) => Some(SiteId::parse(id).map_err(|e| anyhow::anyhow!(e.message))?),
        None => None,
    };
    let bar = progress::bar(
        store.tally(site.as_ref()).await?.rows(),
        "exporting",
        "records",
    );
    let (written, target) = if args.out == Path::new("-") {
        let mut out = std::io::BufWriter::new(std::io::stdout());
        (export::write(store, site, &mut out, &bar).await, None)
    } else {
        let partial = args.out.with_file_name(format!(
            "{}.partial",
            args.out.file_name().unwrap_or_default().to_string_lossy()
        ));
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        let mut out = std::io::BufWriter::new(file);
        let written = export::write(store, site, &mut out, &bar).await;
        drop(out);
        (written, Some(partial))
    };
    bar.finish_and_clear();
    let written = written?;
    if let Some(partial) = target {
        std::fs::rename(&partial, &args.out)
            .with_context(|| format!("renaming {} to {}", partial.display(), args.out.display()))?;
    }
    let mut err = std::io::stderr();
    let _ = writeln!(err, "exported {written}");
    Ok(())
}

/// `migrate-store`: copy, then compare the two exports.
async fn migrate(config: &Config, args: &MigrateStoreArgs) -> anyhow::Result<()> {
    let (from_shown, to_shown) = (redact_password(&args.from), redact_password(&args.to));
    if let Some(path) = sqlite_path(&args.from).filter(|p| !p.exists()) {
        anyhow::bail!(
            "--from {from_shown}: there is no SQLite database at {}",
            path.display()
        );
    }
    let from = open_store_url(&args.from, &config.database)
        .await
        .context("--from")?;
    let to = open_store_url(&args.to, &config.database)
        .await
        .context("--to")?;
    let found = to.tally(None).await?;
    if !found.is_empty() {
        anyhow::bail!(
            "--to {to_shown} is not empty ({found}): migrate-store copies into an empty database \
             only; point --to at a new database (or schema)"
        );
    }
    let total = from.tally(None).await?;
    println!("copying {from_shown} to {to_shown}: {total}");
    let started = Instant::now();
    let bar = progress::bar(total.rows(), "copying", "rows");
    let copied = migrate_store::copy(from.clone(), to.clone(), &bar).await;
    bar.finish_and_clear();
    let copied = copied?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "copied {copied} in {secs:.1} s ({:.0} rows/s); verifying",
        copied.rows() as f64 / secs.max(1e-9)
    );
    let bar = progress::bar(total.rows(), "verifying", "records");
    let compared = migrate_store::compare(from, to, &bar).await;
    bar.finish_and_clear();
    match compared? {
        Comparison::Identical(tally) => {
            println!("identical: {tally}");
            Ok(())
        }
        Comparison::Differ { line, what } => anyhow::bail!(
            "the copy differs from the source at line {line} of their exports: {what}"
        ),
    }
}
