"""The commands for API keys and the audit log: apikey create, list and revoke; audit verify."""

from __future__ import annotations

import argparse
from datetime import datetime

from sqlalchemy.orm import Session

from app.cli.store import actor, read, write
from app.core.clock import Clock
from app.core.config import Settings


def apikey_create(args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    def create(session: Session) -> str:
        return service.create(
            session,
            args.name,
            scopes=args.scopes,
            owner=args.owner,
            actor=actor(),
            clock=Clock(),
        )

    token = write(settings, create)
    if token is None:
        return 1
    scopes = ", ".join(sorted(set(args.scopes)))
    print(f"created key '{args.name}' for {args.owner or args.name} with scopes {scopes}")
    print("the token is shown once; store it now:")
    print(token)
    return 0


def apikey_list(_args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    keys = read(settings, service.listed)
    rows = [("NAME", "OWNER", "SCOPES", "CREATED", "REVOKED")]
    for key in keys:
        revoked = _when(key.revoked_at) if key.revoked_at else "-"
        rows.append((key.name, key.owner, ",".join(key.scopes), _when(key.created_at), revoked))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]))
    return 0


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ")


def apikey_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    def revoke(session: Session) -> bool:
        service.revoke(session, args.name, actor=actor(), clock=Clock())
        return True

    if write(settings, revoke) is None:
        return 1
    print(f"revoked key '{args.name}'")
    return 0


def audit_verify(_args: argparse.Namespace, settings: Settings) -> int:
    from app.audit import service

    check = read(settings, service.verify)
    if not check.intact:
        print(f"audit chain broken at event {check.broken_at}: {check.why}")
        return 1
    print(f"audit chain intact: {check.events_checked} events")
    return 0
