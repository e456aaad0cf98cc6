//! `rostra user …`: moderators and owners, and their API tokens.

use crate::cli::{DataArgs, UserCommand};
use anyhow::Context;
use rostra_core::{Role, SiteId};
use rostra_service::accounts::{credential_id, Revoking};
use rostra_service::Service;
use std::io::BufRead;

impl UserCommand {
    /// The data directory the command names.
    pub fn data(&self) -> &DataArgs {
        match self {
            Self::Add { data, .. }
            | Self::Token { data, .. }
            | Self::List { data }
            | Self::Remove { data, .. }
            | Self::Tokens { data, .. }
            | Self::Revoke { data, .. }
            | Self::Password { data, .. } => data,
        }
    }
}

/// The first line of standard input, when asked to read the password there.
fn password_from_stdin(asked: bool) -> anyhow::Result<Option<String>> {
    if !asked {
        return Ok(None);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
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
            let password = password_from_stdin(password_stdin)?;
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
        UserCommand::Remove { site, name, .. } => {
            let site = SiteId::parse(&site).map_err(field)?;
            service.remove_member(&name, &site).await?;
            println!("{name} no longer has a role on {site}");
            Ok(())
        }
        UserCommand::Tokens { name, .. } => {
            for c in service.credentials_of(&name).await? {
                let expires = c
                    .expires_at
                    .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
                println!(
                    "{}\t{}\t{}\tcreated {}\texpires {expires}",
                    credential_id(&c),
                    c.kind.as_str(),
                    c.label.as_deref().unwrap_or("-"),
                    c.created_at.to_rfc3339(),
                );
            }
            Ok(())
        }
        UserCommand::Revoke { name, id, all, .. } => {
            let which = match id {
                Some(id) if !all => Revoking::One(id),
                _ => Revoking::All,
            };
            let n = service.revoke(&name, &which).await?;
            println!("revoked {n} session(s) or token(s) of {name}");
            Ok(())
        }
        UserCommand::Password {
            name,
            password_stdin,
            ..
        } => {
            let password = password_from_stdin(password_stdin)?;
            let generated = service
                .reset_password(&name, password.as_deref())
                .await
                .map_err(|e| match e {
                    rostra_service::ServiceError::Invalid(f) => field(f),
                    other => other.into(),
                })?;
            println!("new password set for {name}; their login sessions ended");
            if let Some(password) = generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
    }
}
