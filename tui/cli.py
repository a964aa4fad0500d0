"""The ``vaccinnet`` command line: init, entity add, demo, check."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from rules import ENTITY_KINDS, MANAGER_TYPES, RuleViolation
from store import StoreError, data_dir, open_store

LANGS = ("fr", "nl", "en")


class CommandError(Exception):
    """A mistake on the command line, told in one line."""


def _default_lang() -> str:
    for value in (os.environ.get("VACCINNET_LANG"), os.environ.get("LANG")):
        if value and value[:2] in LANGS:
            return value[:2]
    return "fr"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS lets "--data" sit before or after the command without one hiding the other.
    common.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="data directory (default: $VACCINNET_DATA, else the user data dir)",
    )
    common.add_argument(
        "--lang", choices=LANGS, default=argparse.SUPPRESS, help="language of messages (fr, nl, en)"
    )
    parser = argparse.ArgumentParser(
        prog="vaccinnet", parents=[common],
        description="Link and unlink the staff of health-care entities in Vaccinnet. "
        "With --niss and no command: open the staff console as that person.",
    )  # fmt: skip
    parser.add_argument(
        "--niss",
        metavar="NISS",
        help="open the staff console as this person (from the SSH forced command)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", parents=[common], help="create a store with its first admin")
    init.add_argument("--admin", required=True, metavar="ID")
    init.add_argument("--admin-name", required=True, metavar="NAME")
    init.add_argument("--admin-niss", metavar="NISS")

    entity = commands.add_parser("entity", parents=[common], help="manage entities")
    entity_commands = entity.add_subparsers(dest="entity_command", metavar="ACTION", required=True)
    add = entity_commands.add_parser(
        "add", parents=[common], help="create an entity with its first manager"
    )
    add.add_argument("--admin", required=True, metavar="ID")
    add.add_argument("--id", required=True, dest="entity_id")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=sorted(ENTITY_KINDS))
    add.add_argument("--email", required=True)
    add.add_argument(
        "--entity-lang",
        "--language",
        dest="entity_lang",
        required=True,
        choices=("fr", "nl"),
        help="language of the entity's e-mails",
    )
    add.add_argument("--manager-niss", required=True)
    add.add_argument("--manager-last", required=True)
    add.add_argument("--manager-first", required=True)
    add.add_argument("--manager-type", required=True, choices=sorted(MANAGER_TYPES))

    commands.add_parser("demo", parents=[common], help="fill an empty store with demo data")
    commands.add_parser("check", parents=[common], help="verify the store and its audit trail")
    return parser


def _entity_lang_alias(argv: list[str]) -> list[str]:
    # "entity add ... --lang fr|nl" sets the entity's language; before the command,
    # --lang still chooses the language of messages.
    if "entity" in argv and "add" in argv[argv.index("entity") :]:
        start = argv.index("add", argv.index("entity"))
        return argv[:start] + ["--entity-lang" if a == "--lang" else a for a in argv[start:]]
    return argv


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(_entity_lang_alias(list(argv)))
    lang = getattr(args, "lang", None) or _default_lang()
    root = data_dir(getattr(args, "data", None))
    try:
        if args.command is None:
            if args.niss:
                return _staff_console(root, args.niss, getattr(args, "lang", None))
            _parser().print_help()
            return 0
        if args.command == "init":
            return _init(root, args)
        if args.command == "entity":
            return _entity_add(root, args)
        if args.command == "demo":
            return _demo(root)
        if args.command == "check":
            return _check(root)
    except RuleViolation as refusal:
        print(f"vaccinnet: {refusal.message(lang)}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"vaccinnet: {exc}", file=sys.stderr)
        return exc.exit_status
    except CommandError as exc:
        print(f"vaccinnet: {exc}", file=sys.stderr)
        return 1
    return 0


def _staff_console(root, niss: str, lang: str | None) -> int:  # type: ignore[no-untyped-def]
    from rules import normalize_niss
    from tui.staff_app import StaffApp

    niss = normalize_niss(niss)
    if not (root / "manifest.json").exists():
        raise CommandError(f"{root} holds no store (no manifest.json); run 'vaccinnet init'")
    StaffApp(open_store(root), niss, lang).run()
    return 0


def _init(root, args) -> int:  # type: ignore[no-untyped-def]
    store = open_store(root)
    if store.admins():
        raise CommandError(f"{root} already holds a store with administrators")
    admin = store.add_admin(args.admin, args.admin_name, args.admin_niss)
    print(f"Store created in {root} with administrator {admin.id} ({admin.name}).")
    return 0


def _entity_add(root, args) -> int:  # type: ignore[no-untyped-def]
    store = open_store(root)
    entity = store.create_entity(
        args.admin, args.entity_id, args.name, args.kind, args.email, args.entity_lang,
        args.manager_niss, args.manager_last, args.manager_first, args.manager_type,
    )  # fmt: skip
    print(f"Entity {entity.id} ({entity.name}) created.")
    return 0


def _demo(root) -> int:  # type: ignore[no-untyped-def]
    from rules import format_niss
    from store.demo import DEMO_ADMINS, DEMO_LOGINS, build_demo

    try:
        store = build_demo(root, datetime.now(UTC))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    counts = store.counts()
    print(f"Demo store written to {root}: {counts['entities']} entities, {counts['links']} "
          f"links, {len(store.requests())} pending requests.")  # fmt: skip
    print("Log in as:")
    for label, niss in DEMO_LOGINS:
        print(f"  vaccinnet --data {root} --niss {format_niss(niss)}   # {label}")
    print("Demo administrators (their console comes with the admin issue):")
    for admin_id, name in DEMO_ADMINS:
        print(f"  {admin_id:<15} {name}")
    return 0


def _check(root) -> int:  # type: ignore[no-untyped-def]
    if not (root / "manifest.json").exists():
        raise CommandError(f"{root} holds no store (no manifest.json)")
    store = open_store(root)
    problems = store.verify()
    counts = store.counts()
    if problems:
        for problem in problems:
            print(f"FAIL {problem}")
        print(f"{root}: {len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"OK {root}: {counts['entities']} entities, {counts['links']} links, "
          f"{counts['requests']} requests, {counts['outbox']} mails, audit trail of "
          f"{counts['audit']} entries intact.")  # fmt: skip
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    try:
        status = run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        status = 130
    except Exception as exc:  # one line for people; VACCINNET_DEBUG=1 for details
        if os.environ.get("VACCINNET_DEBUG"):
            raise
        print(f"vaccinnet: unexpected error: {exc!r} (VACCINNET_DEBUG=1 shows details)",
              file=sys.stderr)  # fmt: skip
        status = 70
    sys.exit(status)


if __name__ == "__main__":
    main()
