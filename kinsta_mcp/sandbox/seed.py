"""Demo data for the sandbox: the fictional agency "Acme Digital Agency".

Everything here is plain dicts in the sandbox's *internal* shape (see
``routes/_common.py`` for how they are turned into API responses). Ids are
uuid5 values derived from names, so they are identical on every run and tests
can hard-code them. Each call to :func:`build_company` returns fresh objects,
so two ``SandboxState`` instances never share mutable data.

IP addresses come from the documentation ranges (RFC 5737) so nothing here
points at a real host.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

# Fixed namespace: changing it would change every seeded id.
SANDBOX_NAMESPACE = uuid.UUID("0b5c8a3e-2f4d-5e6a-9b1c-7d8e9f0a1b2c")


def stable_id(*parts: str) -> str:
    """Deterministic uuid for a seeded object, e.g. stable_id("site", "acmeshop")."""
    return str(uuid.uuid5(SANDBOX_NAMESPACE, "/".join(parts)))


DEMO_COMPANY_ID = stable_id("company", "acme-digital-agency")
DEMO_COMPANY_NAME = "Acme Digital Agency"
DEMO_API_KEY = "sandbox-demo-key"
DEMO_SEVALLA_KEY = "sandbox-sevalla-demo-key"
DEMO_API_KEY_NAME = "kinsta-mcp sandbox"
# 2030-01-01T00:00:00Z in epoch ms, as a string like the spec example.
DEMO_API_KEY_EXPIRES_AT = "1893456000000"

# Kinsta runs on Google Cloud; names follow the spec example "Dallas US (us-south1)".
REGIONS: list[dict[str, str]] = [
    {"name": "Iowa US (us-central1)", "region": "us-central1"},
    {"name": "South Carolina US (us-east1)", "region": "us-east1"},
    {"name": "Dallas US (us-south1)", "region": "us-south1"},
    {"name": "Oregon US (us-west1)", "region": "us-west1"},
    {"name": "Montréal CA (northamerica-northeast1)", "region": "northamerica-northeast1"},
    {"name": "London UK (europe-west2)", "region": "europe-west2"},
    {"name": "Frankfurt DE (europe-west3)", "region": "europe-west3"},
    {"name": "Tokyo JP (asia-northeast1)", "region": "asia-northeast1"},
    {"name": "Sydney AU (australia-southeast1)", "region": "australia-southeast1"},
]

_USERS = [
    ("alex.morgan@acmedigital.agency", "Alex Morgan"),
    ("priya.shah@acmedigital.agency", "Priya Shah"),
    ("tom.becker@acmedigital.agency", "Tom Becker"),
    ("lena.novak@acmedigital.agency", "Lena Novak"),
]

# (slug, display name, region, labels, [env specs]); env spec =
# (env name, display name, is_premium, php, wp version, custom domains, primary)
# where primary None means the temporary *.kinsta.cloud domain is primary.
_SITES: list[tuple[str, str, str, list[str], list[tuple[Any, ...]]]] = [
    (
        "acmeshop",
        "Acme Shop",
        "us-central1",
        ["E-commerce", "Do not remove"],
        [
            ("live", "Live", False, "8.2", "6.6.2", ["acmeshop.com", "www.acmeshop.com"], "acmeshop.com"),
            ("staging", "Staging", False, "8.2", "6.6.2", [], None),
            ("staging-premium", "Premium Staging", True, "8.3", "6.7.1", [], None),
        ],
    ),
    (
        "blog-acme",
        "Acme Blog",
        "us-central1",
        ["Internal"],
        [
            ("live", "Live", False, "8.3", "6.7.1", ["acmeblog.com", "www.acmeblog.com"], "www.acmeblog.com"),
            ("staging", "Staging", False, "8.3", "6.7.1", [], None),
        ],
    ),
    (
        "client-bakery",
        "Rosie's Bakery",
        "europe-west2",
        ["Client"],
        [
            (
                "live",
                "Live",
                False,
                "8.1",
                "6.5.5",
                ["rosiesbakery.co.uk", "www.rosiesbakery.co.uk"],
                "rosiesbakery.co.uk",
            ),
            ("staging", "Staging", False, "8.1", "6.5.5", [], None),
        ],
    ),
    (
        "client-dentist",
        "Bright Smile Dental",
        "europe-west3",
        ["Client"],
        [
            (
                "live",
                "Live",
                False,
                "8.3",
                "6.7.1",
                ["brightsmile-dental.de", "www.brightsmile-dental.de"],
                "brightsmile-dental.de",
            ),
            ("staging", "Staging", False, "8.3", "6.7.1", [], None),
        ],
    ),
    (
        "portfolio",
        "Portfolio",
        "us-west1",
        [],
        [
            ("live", "Live", False, "8.3", "6.7.1", [], None),
        ],
    ),
]


def _temporary_domain(site_name: str, env_name: str) -> str:
    if env_name == "live":
        return f"{site_name}.kinsta.cloud"
    return f"{env_name}-{site_name}.kinsta.cloud"


def _environment(site_index: int, env_index: int, site_name: str, spec: tuple[Any, ...]) -> dict[str, Any]:
    env_name, display_name, is_premium, php, wp, custom_domains, primary = spec
    site_id = stable_id("site", site_name)
    env_id = stable_id("env", site_name, env_name)
    domain_type = "live" if env_name == "live" else "staging"
    names = [*list(custom_domains), _temporary_domain(site_name, env_name)]
    domains = [
        {
            "id": stable_id("site-domain", name),
            "name": name,
            "site_id": site_id,
            "is_active": True,
            "type": domain_type,
        }
        for name in names
    ]
    primary_name = primary or _temporary_domain(site_name, env_name)
    return {
        "id": env_id,
        "site_id": site_id,
        "name": env_name,
        "display_name": display_name,
        "is_blocked": False,
        "id_edge_cache": stable_id("edge-cache", site_name, env_name) if env_name == "live" else None,
        "cdn_cache_id": stable_id("cdn-cache", site_name, env_name) if env_name == "live" else None,
        # The old-PHP client site opted out so the agency can test upgrades first.
        "is_opt_out_from_automatic_php_update": php == "8.1",
        "web_root": f"/www/{site_name.replace('-', '')}_{412 + site_index * 7 + env_index}/public",
        "image_optimization_type": "lossy" if env_name == "live" else "off",
        "is_additional_sftp_accounts_enabled": False,
        "is_premium": is_premium,
        "wordpress_version": wp,
        "domains": domains,
        "primary_domain_id": stable_id("site-domain", primary_name),
        "ssh_port": str(30000 + site_index * 100 + env_index * 11 + 13),
        "ssh_ip": f"203.0.113.{20 + site_index}",
        "container_id": stable_id("container", site_name, env_name),
        "php_version": php,
    }


def build_sites(company_id: str) -> list[dict[str, Any]]:
    sites = []
    for site_index, (name, display_name, region, labels, env_specs) in enumerate(_SITES):
        sites.append(
            {
                "id": stable_id("site", name),
                "name": name,
                "display_name": display_name,
                "company_id": company_id,
                "status": "live",
                "region": region,
                "labels": [{"id": stable_id("label", label), "name": label} for label in labels],
                "environments": [
                    _environment(site_index, env_index, name, spec) for env_index, spec in enumerate(env_specs)
                ],
            }
        )
    return sites


def build_users() -> list[dict[str, str]]:
    return [
        {
            "id": stable_id("user", email),
            "email": email,
            # Gravatar urls are md5 of the lower-cased email, like the real API.
            "image": "https://www.gravatar.com/avatar/" + hashlib.md5(email.encode()).hexdigest(),
            "full_name": full_name,
        }
        for email, full_name in _USERS
    ]


def build_dns_domains() -> list[dict[str, Any]]:
    """Kinsta DNS zone for acmeshop.com (not served yet; the DNS routes will use it)."""
    zone = "acmeshop.com"
    records = [
        ("A", zone, 3600, ["203.0.113.21"]),
        ("CNAME", f"www.{zone}", 3600, [zone]),
        ("MX", zone, 3600, ["1 aspmx.l.google.com", "5 alt1.aspmx.l.google.com"]),
        ("TXT", zone, 3600, ["v=spf1 include:_spf.google.com ~all"]),
        ("TXT", f"_dmarc.{zone}", 3600, ["v=DMARC1; p=quarantine; rua=mailto:dmarc@acmeshop.com"]),
    ]
    return [
        {
            "id": stable_id("dns-domain", zone),
            "name": zone,
            "site_id": stable_id("site", "acmeshop"),
            "is_active": True,
            "dns_records": [
                {"type": t, "name": n, "ttl": ttl, "resource_records": [{"value": v} for v in values]}
                for t, n, ttl, values in records
            ],
        }
    ]
