//! `rostra user …`: moderators and owners, and their API tokens.

use crate::cli::{DataArgs, UserCommand};
use anyhow::Context;
use rostra_core::{Role, SiteId};
use rostra_service::Service;
use std::io::BufRead;

impl UserCommand {
    /// The data directory the command names.
    pub fn data(&self) -> &DataArgs {
        match self {
            Self::Add { data, .. } | Self::Token { data, .. } | Self::List { data } => data,
        }
    }
}

fn field(e: rostra_core::FieldError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.field, e.message)
}

/// Runs a `user` subcommand.
pub async fn run(service: &Service, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            site,
            role,
            name,
            password_stdin,
            email,
            ..
        } => {
            let site = SiteId::parse(&site).map_err(field)?;
            let role = Role::parse(&role).map_err(field)?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let created = service
                .add_user(&name, password.as_deref(), email.as_deref(), &site, role)
                .await
                .map_err(|e| match e {
                    rostra_service::ServiceError::Invalid(f) => field(f),
                    other => other.into(),
                })?;
            if created.existed {
                println!(
                    "user {} (already there) is now {} of {site}",
                    created.name,
                    role.as_str()
                );
            } else {
                println!(
                    "created user {} as {} of {site}",
                    created.name,
                    role.as_str()
                );
            }
            if let Some(password) = created.generated_password {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        UserCommand::Token { name, label, .. } => {
            let token = service.create_token(&name, label.as_deref()).await?;
            println!("{}", token.as_str());
            Ok(())
        }
        UserCommand::List { .. } => {
            for (user, roles) in service.users().await? {
                let roles: Vec<String> = roles
                    .iter()
                    .map(|m| format!("{}:{}", m.site_id, m.role.as_str()))
                    .collect();
                println!("{}\t{}\t{}", user.id, user.name, roles.join(","));
            }
            Ok(())
        }
    }
}
