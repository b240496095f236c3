"""Databases on the PaaS base (Sevalla v2, or Kinsta for accounts not moved yet), and what only Sevalla v3
has: backups, connections, the IP restriction, suspension. The list is `paas.DATABASES` (the catalog
pages through it)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, RateClass, declare
from kinsta_mcp.models.app_v3 import IpRestriction
from kinsta_mcp.models.databases import DatabaseDetail, DbBackup, DbConnection, DbUpdated, DbV3

# The answer holds the passwords and connection strings: read it only to show them masked or revealed.
DATABASE = Endpoint("GET", "/databases/{id}", base=Base.PAAS, unwrap=("database",), model=DatabaseDetail)
CREATE_DATABASE = Endpoint("POST", "/databases", base=Base.PAAS, job=JobKind.DATABASE, rate=RateClass.CREATE)
UPDATE_DATABASE = Endpoint("PUT", "/databases/{id}", base=Base.PAAS, unwrap=("database",), model=DbUpdated)
DELETE_DATABASE = Endpoint("DELETE", "/databases/{id}", base=Base.PAAS)

# Sevalla v3. The backup, restore and toggle answers are 202 {message} with nothing to follow but the
# database's status (docs/api-notes.md#database-v3); a new backup is listed only once complete.
V3_DATABASE = Endpoint("GET", "/databases/{id}", base=Base.V3, model=DbV3)
BACKUPS = Endpoint("GET", "/databases/{id}/backups", base=Base.V3, model=list[DbBackup])
CREATE_BACKUP = Endpoint("POST", "/databases/{id}/backups", base=Base.V3)
DELETE_BACKUP = Endpoint("DELETE", "/databases/{id}/backups/{backup_id}", base=Base.V3)
RESTORE_BACKUP = Endpoint("POST", "/databases/{id}/backups/{backup_id}/restore", base=Base.V3)
RESET_PASSWORD = Endpoint("POST", "/databases/{id}/reset-password", base=Base.V3)
TOGGLE_EXTERNAL = Endpoint("POST", "/databases/{id}/external-connection/toggle", base=Base.V3)
SUSPEND = Endpoint("POST", "/databases/{id}/suspend", base=Base.V3)
ACTIVATE = Endpoint("POST", "/databases/{id}/activate", base=Base.V3)
CONNECTIONS = Endpoint("GET", "/databases/{id}/internal-connections", base=Base.V3, model=list[DbConnection])
CONNECT = Endpoint("POST", "/databases/{id}/internal-connections", base=Base.V3)
DISCONNECT = Endpoint("DELETE", "/databases/{id}/internal-connections/{connection_id}", base=Base.V3)
IP_RESTRICTION = Endpoint("GET", "/databases/{id}/ip-restriction", base=Base.V3, model=IpRestriction)
SET_IP_RESTRICTION = Endpoint("PUT", "/databases/{id}/ip-restriction", base=Base.V3, model=IpRestriction)

ENDPOINTS = declare(globals())
