"""SSH/SFTP access of an environment and its additional SFTP accounts (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.ssh import AllowedIps, SftpAccounts, SshConfig

_SSH = "/sites/environments/{env_id}/ssh"
_SFTP = "/sites/environments/{env_id}/additional-sftp-accounts"

SSH_CONFIG = Endpoint("GET", "/sites/{site_id}/environments/{env_id}/ssh/config", model=SshConfig)
SSH_STATUS = Endpoint(
    "GET", f"{_SSH}/get-status", unwrap=("environment", "active_container", "is_ssh_enabled"), model=bool
)
SSH_PASSWORD = Endpoint("GET", f"{_SSH}/password", unwrap=("environment", "sftp_password"), model=str)
SSH_ALLOWED_IPS = Endpoint(
    "GET", f"{_SSH}/get-allowed-ips", unwrap=("environment", "active_container"), model=AllowedIps
)
# These settings answer synchronously ({"result": null}).
SET_SSH_STATUS = Endpoint("POST", f"{_SSH}/set-status")
SET_PASSWORD_LOGIN = Endpoint("POST", f"{_SSH}/set-password-status")
GENERATE_PASSWORD = Endpoint("POST", f"{_SSH}/generate-password")
SET_ALLOWED_IPS = Endpoint("POST", f"{_SSH}/set-allowed-ips")
SET_PASSWORD_EXPIRY = Endpoint("POST", f"{_SSH}/change-expiration-interval")

SFTP_ACCOUNTS = Endpoint("GET", _SFTP, unwrap=("environment",), model=SftpAccounts)
# Documented as HTTP 200 with an operation (docs/api-notes.md#http-200-with-an-operation).
ADD_SFTP_ACCOUNT = Endpoint("POST", _SFTP, job=JobKind.OPERATION)
TOGGLE_SFTP_ACCOUNTS = Endpoint("PUT", f"{_SFTP}/toggle-status", job=JobKind.OPERATION)
DELETE_SFTP_ACCOUNT = Endpoint(
    "DELETE", "/sites/environments/additional-sftp-accounts/{sftp_account_id}", job=JobKind.OPERATION
)

ENDPOINTS = declare(globals())
