"""Every operation of the three APIs, from the OpenAPI files shipped in `specs/` (Kinsta v1.87.0, Sevalla
v2 v1.80.0, Sevalla v3 of 2026-03-09) plus the later documented additions (docs/api-notes.md#additions).

    catalogue.load()            the operations, parsed once on first use (never at start-up)
    risk.risk_of(op, body)      read / write / sensitive / destructive, from the method and a reviewed table
    checks.request(op, ...)     path, query and body checked against the spec before anything is sent
    binding.endpoint(op)        the Endpoint declaration it is sent as (base, rate class, job, relists)
    shaping.mask / shaping.bound  secrets masked, answers cut to a size a model can read

The `find_endpoint` / `call_endpoint` tools (kinsta_mcp/tools/endpoints.py) are built on these and go
through the same gate and job following as every typed tool.
"""
