//! The demo: the site `demo`, with the server's own origins, and its page at
//! `/`, whose thread starts with the reference page's eleven comments.

use crate::config::Config;
use crate::demo_comments::COMMENTS;
use rostra_core::{Origin, SiteId, SiteSettings};
use rostra_service::{PostInput, Service};
use std::net::SocketAddr;

/// The demo article's title.
pub const TITLE: &str =
    "US Policy in Iraq Is Failing, The Time May Have Come For Another Regime Change";

/// Ensures the demo site and seeds its page's thread on first start; returns
/// the page's canonical URL.
pub async fn prepare(service: &Service, config: &Config, port: u16) -> anyhow::Result<String> {
    let origins = ensure_site(service, config, port).await?;
    let first = origins
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo site has no origin"))?;
    let canonical = format!("{}/", first.as_str());
    if config.demo.seed {
        seed(service, &canonical).await?;
        let site = SiteId::parse("demo").map_err(|e| anyhow::anyhow!(e.message))?;
        crate::demo_campaign::seed(service, &site, &canonical).await?;
    }
    Ok(canonical)
}

/// Posts the reference comments, as guests and in order, unless the page
/// already has a thread.
async fn seed(service: &Service, canonical: &str) -> anyhow::Result<()> {
    let site = SiteId::parse("demo").map_err(|e| anyhow::anyhow!(e.message))?;
    let url = service.page_url(&site, canonical).await?;
    if service.store().thread(&site, &url).await?.is_some() {
        return Ok(());
    }
    for (name, body) in COMMENTS {
        service
            .post_comment(
                &site,
                PostInput {
                    url: canonical.to_owned(),
                    title: Some(TITLE.to_owned()),
                    name: name.to_owned(),
                    body: body.to_owned(),
                    ..PostInput::default()
                },
            )
            .await?;
    }
    tracing::info!(
        url = canonical,
        comments = COMMENTS.len(),
        "seeded the demo thread"
    );
    Ok(())
}

/// Ensures the site `demo` and returns its origins, the server's own first.
async fn ensure_site(service: &Service, config: &Config, port: u16) -> anyhow::Result<Vec<Origin>> {
    let ip = config.server.listen.ip();
    let mut origins = vec![format!("http://{}", SocketAddr::new(ip, port))];
    if ip.is_loopback() || ip.is_unspecified() {
        origins.push(format!("http://localhost:{port}"));
        origins.push(format!("http://127.0.0.1:{port}"));
    }
    origins.extend(config.demo.extra_origins.iter().cloned());
    let mut parsed = Vec::new();
    for o in &origins {
        let origin =
            Origin::parse(o).map_err(|e| anyhow::anyhow!("demo origin {o}: {}", e.message))?;
        if !parsed.contains(&origin) {
            parsed.push(origin);
        }
    }
    let id = SiteId::parse("demo").map_err(|e| anyhow::anyhow!(e.message))?;
    let site = service
        .sites()
        .ensure(
            id,
            "Rostra demo".into(),
            parsed.clone(),
            SiteSettings::default(),
        )
        .await?;
    // The server's own origin changes with --listen: keep it allowed.
    let missing: Vec<Origin> = parsed
        .iter()
        .filter(|o| !site.allowed_origins.contains(o))
        .cloned()
        .collect();
    if !missing.is_empty() {
        let mut updated = (*site).clone();
        updated.allowed_origins.extend(missing);
        service.sites().update(updated).await?;
    }
    Ok(parsed)
}
