"""The ``vaccinnet`` command line: the two consoles, and the commands that look after a store."""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from rules import ENTITY_KINDS, MANAGER_TYPES, NewEntity, RuleViolation, format_niss, printable
from rules.phrase import N_
from rules.vocabulary import LANGUAGES
from store import Store, StoreError, data_dir, open_store
from store.audit import Anchor, anchors_in, parse_anchor
from store.errors import StoreUnreachable
from store.paths import Location, LocationError, mail_home
from store.pg import has_password, redacted
from tui.argparse_i18n import argparse_in_current_language
from tui.i18n import _, fmt_datetime, local, ngettext, said, set_language

if TYPE_CHECKING:
    from textual.app import App

LANGS = LANGUAGES


class CommandError(Exception):
    """A mistake on the command line, told in one line; ``status`` 2 when it names a store
    that cannot be used as given (a password on the command line, not a store at all)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # Exit 2 means "the store cannot be used"; a wrong argument is 1, as the README says.
        self.print_usage(sys.stderr)
        # argparse's own msgid, so its catalog entry serves both.
        self.exit(1, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def say(text: object, *, file: TextIO | None = None, flush: bool = False) -> None:
    """Every line this command prints. Paths, names, reasons, key comments and server answers
    are data: shown, never obeyed by the terminal (rules.printable), whoever formatted them."""
    print(printable(str(text), multiline=True), file=file, flush=flush)


def _default_lang() -> str:
    """Without --lang: $VACCINNET_LANG, else French (the manual's language).

    $LANG is the service account's locale, not the language of whoever reads the message.
    """
    value = os.environ.get("VACCINNET_LANG", "")
    return value if value in LANGS else "fr"


def _lang_before_parsing(argv: Sequence[str]) -> str:
    """The language argparse must speak while it parses: --lang XX or --lang=XX, as typed.

    argparse words its errors and help while it parses, before it has told us --lang, so the
    arguments are looked at first. Only for argparse's messages: the parse that follows decides
    (an invalid --lang is reported, in the default language). Like argparse, it accepts an
    abbreviation (--la) and stops at "--".
    """
    lang = _default_lang()
    words = list(argv)
    for number, word in enumerate(words):
        if word == "--":
            break
        name, equals, value = word.partition("=")
        if len(name) < 3 or not "--lang".startswith(name):
            continue
        if not equals:
            value = words[number + 1] if number + 1 < len(words) else ""
        if value in LANGS:
            lang = value
    return lang


def _interval(text: str) -> float:
    """Seconds between delivery rounds: a finite number, at least one (0 or nan would spin)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 1:
        raise argparse.ArgumentTypeError(
            _("{value} is not a number of seconds of at least 1").format(value=repr(text))
        )
    return seconds


def _parser() -> argparse.ArgumentParser:
    """The command line, its help and placeholders in the current language (set it first)."""
    common = _Parser(add_help=False)
    # SUPPRESS lets "--data" sit before or after the command without one hiding the other.
    common.add_argument(
        "--data",
        metavar=_("DIR_OR_URL"),
        default=argparse.SUPPRESS,
        help=_(
            "data directory, or postgresql:// URL (default: $VACCINNET_DATA, else the user "
            "data dir)"
        ),
    )
    common.add_argument(
        "--lang",
        choices=LANGS,
        default=argparse.SUPPRESS,
        help=_("language of messages (fr, nl, en)"),
    )
    parser = _Parser(
        prog="vaccinnet",
        parents=[common],
        description=_(
            "Link and unlink the staff of health-care entities in Vaccinnet. "
            "With --niss and no command: open the staff console as that person."
        ),
    )
    parser.add_argument(
        "--niss",
        metavar="NISS",
        help=_("open the staff console as this person (from the SSH forced command)"),
    )
    commands = parser.add_subparsers(
        dest="command", metavar=_("COMMAND"), help=_("without one: this help, or --niss's console")
    )

    init = commands.add_parser(
        "init", parents=[common], help=_("create a store with its first admin")
    )
    init.add_argument(
        "--admin", required=True, metavar="ID", help=_("the first administrator's id")
    )
    init.add_argument("--admin-name", required=True, metavar=_("NAME"), help=_("their full name"))
    init.add_argument("--admin-niss", metavar="NISS", help=_("their NISS (optional)"))
    init.add_argument(
        "--admin-email",
        metavar=_("ADDRESS"),
        help=_("where their daily digest of overdue requests goes (optional)"),
    )

    entity = commands.add_parser("entity", parents=[common], help=_("manage entities"))
    entity_commands = entity.add_subparsers(
        dest="entity_command", metavar=_("ACTION"), required=True, help=_("what to do")
    )
    add = entity_commands.add_parser(
        "add", parents=[common], help=_("create an entity with its first manager")
    )
    add.add_argument(
        "--admin", required=True, metavar="ID", help=_("the administrator creating it")
    )
    add.add_argument(
        "--id", required=True, dest="entity_id", metavar=_("ENTITY"), help=_("the entity's id")
    )
    add.add_argument("--name", required=True, metavar=_("NAME"), help=_("the entity's name"))
    add.add_argument(
        "--kind", required=True, choices=sorted(ENTITY_KINDS), help=_("the kind of entity")
    )
    add.add_argument("--email", required=True, metavar=_("ADDRESS"), help=_("where its mails go"))
    add.add_argument(
        "--entity-lang",
        dest="entity_lang",
        required=True,
        choices=("fr", "nl"),
        help=_("language of the entity and its e-mails (--lang is the language of messages)"),
    )
    add.add_argument("--manager-niss", required=True, metavar="NISS", help=_("the first manager"))
    add.add_argument("--manager-last", required=True, metavar=_("NAME"), help=_("their last name"))
    add.add_argument(
        "--manager-first", required=True, metavar=_("NAME"), help=_("their first name")
    )
    add.add_argument(
        "--manager-type",
        required=True,
        choices=sorted(MANAGER_TYPES),
        help=_("doctor or pharmacist"),
    )

    commands.add_parser("demo", parents=[common], help=_("fill an empty store with demo data"))
    commands.add_parser(
        "migrate-schema",
        parents=[common],
        help=_("bring a database's schema up to this program's version"),
    )

    admin = commands.add_parser(
        "admin", parents=[common], help=_("open the administrators' console")
    )
    admin.add_argument(
        "--admin", required=True, metavar="ID", dest="admin_id", help=_("who opens it")
    )

    notify = commands.add_parser(
        "notify",
        parents=[common],
        help=_("deliver the outbox (SMTP per DATA/mail.toml, else Maildir)"),
    )
    _service_options(
        notify,
        _("deliver what is due, then exit"),
        _("keep delivering (a service)"),
        5.0,
        _("pause between rounds with --watch (at least 1, default 5)"),
    )

    housekeeping = commands.add_parser(
        "housekeeping",
        parents=[common],
        help=_("expire requests past their deadline, send the admins' daily digest (a service)"),
    )
    _service_options(
        housekeeping,
        _("do what is due, then exit"),
        _("keep doing it (a service)"),
        60.0,
        _("pause between rounds with --watch (at least 1, default 60)"),
    )

    settings = commands.add_parser(
        "settings", parents=[common], help=_("show or change the deadlines of requests")
    )
    settings_commands = settings.add_subparsers(
        dest="settings_command", metavar=_("ACTION"), required=True, help=_("what to do")
    )
    settings_commands.add_parser("show", parents=[common], help=_("print the settings"))
    change = settings_commands.add_parser(
        "set", parents=[common], help=_("change settings (audited)")
    )
    change.add_argument(
        "--admin", required=True, metavar="ID", help=_("the administrator changing them")
    )
    change.add_argument(
        "changes",
        nargs="+",
        metavar=_("NAME=VALUE"),
        help=_("expire_after_days (0 = never) or remind_after_working_days"),
    )

    review = commands.add_parser(
        "review", parents=[common], help=_("the yearly staff review of the entities")
    )
    review_commands = review.add_subparsers(
        dest="review_command", metavar=_("ACTION"), required=True, help=_("what to do")
    )
    review_open = review_commands.add_parser(
        "open", parents=[common], help=_("open a review (audited)")
    )
    review_open.add_argument("--admin", required=True, metavar="ID", help=_("who opens it"))
    review_open.add_argument(
        "--due", required=True, metavar=_("DATE"), help=_("DD/MM/YYYY, at most a year ahead")
    )
    review_open.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=sorted(ENTITY_KINDS),
        help=_("only entities of this kind (repeatable; default: every entity)"),
    )
    review_close = review_commands.add_parser(
        "close", parents=[common], help=_("close the open review (audited)")
    )
    review_close.add_argument("--admin", required=True, metavar="ID", help=_("who closes it"))
    review_commands.add_parser(
        "status", parents=[common], help=_("each entity's progress, the least done first")
    )

    imports = commands.add_parser(
        "import",
        parents=[common],
        help=_("file connect requests for the rows of a CSV file (each row checked first)"),
    )
    importer = imports.add_mutually_exclusive_group(required=True)
    importer.add_argument(
        "--niss", dest="actor_niss", metavar="NISS", help=_("the doctor or pharmacist filing them")
    )
    importer.add_argument(
        "--admin",
        dest="import_admin",
        metavar="ID",
        help=_("an administrator linking them at once (a new entity's first staff)"),
    )
    imports.add_argument("--entity", required=True, metavar="ID", help=_("for which entity"))
    imports.add_argument(
        "file", metavar=_("FILE"), help=_("CSV: NISS;last name;first name;type[;until], or -")
    )
    imports.add_argument(
        "--dry-run", action="store_true", help=_("only say what each row would give")
    )
    imports.add_argument("--json", action="store_true", help=_("one JSON object per row"))

    export = commands.add_parser(
        "export", parents=[common], help=_("print an entity's staff, as import reads it")
    )
    export.add_argument("what", choices=["staff"], help=_("what to export"))
    export.add_argument("--entity", required=True, metavar="ID", help=_("which entity"))
    export.add_argument("--format", choices=["csv", "json"], default="csv", help=_("csv or json"))

    admins = commands.add_parser("admins", parents=[common], help=_("manage administrators"))
    admins_commands = admins.add_subparsers(
        dest="admins_command", metavar=_("ACTION"), required=True, help=_("what to do")
    )
    admins_commands.add_parser("list", parents=[common], help=_("list the administrators"))
    admin_add = admins_commands.add_parser(
        "add", parents=[common], help=_("add an administrator (audited)")
    )
    admin_add.add_argument(
        "--admin", required=True, metavar="ID", help=_("the administrator adding them")
    )
    admin_add.add_argument(
        "--id", required=True, dest="new_id", metavar="ID", help=_("the new administrator's id")
    )
    admin_add.add_argument("--name", required=True, metavar=_("NAME"), help=_("their full name"))
    admin_add.add_argument(
        "--niss", dest="new_niss", metavar="NISS", help=_("their NISS (optional)")
    )
    admin_add.add_argument(
        "--email",
        metavar=_("ADDRESS"),
        help=_("where their daily digest of overdue requests goes (optional)"),
    )
    admin_email = admins_commands.add_parser(
        "email", parents=[common], help=_("set or clear an administrator's address (audited)")
    )
    admin_email.add_argument(
        "--admin", required=True, metavar="ID", help=_("the administrator changing it")
    )
    admin_email.add_argument(
        "--id", required=True, dest="target_id", metavar="ID", help=_("whose address")
    )
    admin_email.add_argument(
        "address", metavar=_("ADDRESS"), help=_('the address, or "" for no digest')
    )

    backup = commands.add_parser(
        "backup", parents=[common], help=_("copy the store consistently, even while sessions run")
    )
    backup.add_argument(
        "dest", metavar=_("DEST_DIR"), help=_("a new or empty directory, off the store")
    )

    copy = commands.add_parser(
        "copy",
        parents=[common],
        help=_("copy a whole store to another place: a directory or a PostgreSQL database"),
    )
    copy.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar=_("DIR_OR_URL"),
        help=_("the store to copy"),
    )
    copy.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar=_("DIR_OR_URL"),
        help=_("an empty directory or database"),
    )

    ssh = commands.add_parser("ssh", parents=[common], help=_("manage the SSH keys of the service"))
    ssh_commands = ssh.add_subparsers(
        dest="ssh_command", metavar=_("ACTION"), required=True, help=_("what to do")
    )
    keys_file = _Parser(add_help=False)
    keys_file.add_argument(
        "--authorized-keys",
        metavar=_("FILE"),
        default=str(Path.home() / ".ssh" / "authorized_keys"),
        help=_("default: ~/.ssh/authorized_keys of the service account"),
    )
    auth = ssh_commands.add_parser(
        "authorize",
        parents=[common, keys_file],
        help=_("let a key log in as one person or administrator"),
    )
    who = auth.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--niss", dest="key_niss", metavar="NISS", help=_("the key opens their console")
    )
    who.add_argument(
        "--admin", dest="key_admin", metavar="ID", help=_("the key opens the admin console")
    )
    auth.add_argument(
        "--key-file", required=True, metavar=_("FILE"), help=_("the public key (.pub)")
    )
    auth.add_argument(
        "--applicant",
        action="store_true",
        help=_("the person is in no entity yet and will request access"),
    )
    auth.add_argument(
        "--program",
        metavar=_("PATH"),
        help=_("the vaccinnet executable for the forced command (default: this one)"),
    )
    rev = ssh_commands.add_parser("revoke", parents=[common, keys_file], help=_("remove a key"))
    which = rev.add_mutually_exclusive_group(required=True)
    which.add_argument("--key-file", metavar=_("FILE"), help=_("the public key (.pub)"))
    which.add_argument("--fingerprint", metavar="SHA256:…", help=_("the key's fingerprint"))
    ssh_commands.add_parser("list", parents=[common, keys_file], help=_("list the managed keys"))

    audit = commands.add_parser("audit", parents=[common], help=_("read the audit trail"))
    audit.add_argument("--entity", metavar="ID", help=_("only entries about this entity"))
    audit.add_argument("--niss", metavar="NISS", help=_("only entries about this person"))
    audit.add_argument("--since", metavar=_("DATE"), help=_("YYYY-MM-DD or DD/MM/YYYY"))
    audit.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    # An optional action: "audit [--entity …]" lists as before, "audit head" prints the head.
    audit_actions = audit.add_subparsers(
        dest="audit_command", metavar="[head]", help=_("without it: list the entries")
    )
    head = audit_actions.add_parser(
        "head", parents=[common], help=_("print the head, SEQ:HASH, to keep off this host")
    )
    head.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_("with its date, as JSON")
    )
    check = commands.add_parser(
        "check", parents=[common], help=_("verify the store and its audit trail")
    )
    check.add_argument(
        "--reindex",
        action="store_true",
        help=_(
            "first rebuild the indexes (locators, people, queue, unsent mails, decisions, the "
            "queue's warnings) from the documents (when check says they are out of step)"
        ),
    )
    check.add_argument(
        "--audit-head",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help=_(
            "a head printed earlier by 'audit head': the trail must still extend it (repeatable)"
        ),
    )
    check.add_argument(
        "--audit-heads",
        metavar=_("FILE"),
        help=_("every SEQ:HASH found in FILE (kept heads, a mail, a syslog extract)"),
    )
    return parser


def _service_options(
    command: argparse.ArgumentParser, once: str, watch: str, interval: float, pause: str
) -> None:
    """--once | --watch [--interval S]: a command that also runs as a service (_service)."""
    mode = command.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help=once)
    mode.add_argument("--watch", action="store_true", help=watch)
    command.add_argument(
        "--interval", type=_interval, default=interval, metavar=_("SECONDS"), help=pause
    )


_NOT_A_STORE = N_("{value}: neither a data directory nor a postgresql:// URL")
_PASSWORD_REFUSED = N_(
    "give no password on the command line, where ps shows it to every user; put it in "
    "~/.pgpass (PGPASSFILE), a service file (PGSERVICEFILE) or VACCINNET_DATA"
)


def run(argv: Sequence[str]) -> int:
    set_language(_lang_before_parsing(argv))
    with argparse_in_current_language():
        args = _parser().parse_args(list(argv))
    lang = getattr(args, "lang", None) or _default_lang()
    set_language(lang)
    try:
        root = data_dir(getattr(args, "data", None))
    except LocationError as exc:
        say("vaccinnet: " + _(_NOT_A_STORE).format(value=exc.args[0]), file=sys.stderr)
        return 2
    if getattr(args, "data", None) and isinstance(root, str) and has_password(root):
        # Any user of the machine reads a command line (ps); the environment, a service
        # file and a password file stay the account's own.
        say("vaccinnet: --data: " + _(_PASSWORD_REFUSED), file=sys.stderr)
        return 2
    try:
        if args.command is None:
            if args.niss:
                return _staff_console(root, args.niss, getattr(args, "lang", None))
            with argparse_in_current_language():
                _parser().print_help()
            return 0
        if args.command == "init":
            return _init(root, args)
        if args.command == "entity":
            return _entity_add(root, args)
        if args.command == "demo":
            return _demo(root)
        if args.command == "migrate-schema":
            return _migrate_schema(root)
        if args.command == "check":
            return _check(root, _anchors(args), reindex=args.reindex)
        if args.command == "admin":
            return _admin_console(root, args.admin_id, getattr(args, "lang", None))
        if args.command == "ssh":
            return _ssh(root, args)
        if args.command == "copy":
            return _copy(args)
        if args.command == "backup":
            names = _existing_store(root).backup(Path(args.dest))
            count = len(names) + 1
            say(
                ngettext(
                    "{count} file copied to {dest}; check it with '{check}'.",
                    "{count} files copied to {dest}; check it with '{check}'.",
                    count,
                ).format(count=count, dest=args.dest, check=f"vaccinnet --data {args.dest} check")
            )
            return 0
        if args.command == "notify":
            return _notify(root, args)
        if args.command == "housekeeping":
            return _housekeeping(root, args)
        if args.command == "settings":
            return _settings(root, args)
        if args.command == "admins":
            return _admins(root, args)
        if args.command == "review":
            return _review(root, args)
        if args.command == "import":
            return _import(root, args, lang)
        if args.command == "export":
            return _export(root, args, lang)
        if args.command == "audit":
            return _audit(root, args)
    except RuleViolation as refusal:
        say(f"vaccinnet: {printable(refusal.message(lang), multiline=True)}", file=sys.stderr)
        return 1
    except StoreError as exc:
        say(f"vaccinnet: {printable(said(exc))}", file=sys.stderr)
        return exc.exit_status
    except CommandError as exc:
        say(f"vaccinnet: {printable(exc)}", file=sys.stderr)
        return exc.status
    except BrokenPipeError:
        # The reader left (`vaccinnet audit | head`): nothing is wrong and nobody is listening.
        return _reader_gone()
    except OSError as exc:
        # A failure of the machine the store did not name itself: still the file, and exit 2.
        where = exc.filename if exc.filename is not None else root
        problem = _("{file}: {problem}").format(file=printable(where), problem=said(exc))
        say(f"vaccinnet: {problem}", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("VACCINNET_DEBUG"):
            raise
        return _incident(exc, root, lang)
    return 0


def _reader_gone() -> int:
    """Quiet end when stdout's reader went away; later flushes must not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # a stdout without a file descriptor has nothing left to flush
    return 141  # 128 + SIGPIPE, as a program killed by the broken pipe would report


def _incident(error: BaseException, root: Location | None, lang: str) -> int:
    """One line in the person's language; the trace goes to a log only the service can read."""
    from tui.incidents import record_incident

    incident, log = record_incident(error, root if isinstance(root, Path) else None)
    set_language(lang)
    if log is None:
        text = _("unexpected error (incident {id}); no log could be written.").format(id=incident)
    else:
        text = _("unexpected error (incident {id}); the details are in {log}.").format(
            id=incident, log=log
        )
    say(f"vaccinnet: {printable(text)}", file=sys.stderr)
    return 70


def _staff_console(root: Location, niss: str, lang: str | None) -> int:
    from rules import normalize_niss
    from tui.staff_app import StaffApp

    niss = normalize_niss(niss)
    return _run_console(StaffApp(_console_store(root), niss, lang))


def _console_store(root: Location) -> Store:
    """The store for a console, over a failover: a database that does not answer is asked
    again for as long as $VACCINNET_LOCK_TIMEOUT says (30 s), then the person is told in
    their own words. The database's address and its server's words are for the operators
    (``vaccinnet check`` prints them), not for the doctor at the other end of an SSH link."""
    deadline: float | None = None
    while True:
        try:
            return _existing_store(root)
        except StoreUnreachable:
            now = time.monotonic()
            if deadline is None:
                deadline = now + _lock_timeout()
                say(
                    "vaccinnet: "
                    + _("The store cannot be reached for now: {problem}. Trying again…").format(
                        problem=_("the database does not answer")
                    )
                    + " "
                    + _("(ctrl+c to stop)"),
                    file=sys.stderr,
                    flush=True,
                )
            if now >= deadline:
                raise CommandError(
                    _(
                        "the data cannot be reached: the database does not answer. Try again "
                        "in a few minutes; if it lasts, tell the help desk."
                    ),
                    status=StoreError.exit_status,
                ) from None
            time.sleep(min(2.0, max(0.1, deadline - now)))


def _run_console(app: App[None]) -> int:
    """Run a console in the terminal of an SSH session, and leave it cleanly when it drops."""
    import signal

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandError(_("this console needs a terminal: connect with ssh -t"))
    if os.environ.get("SSH_ORIGINAL_COMMAND"):
        # The key's forced command decides what runs; what the client asked for is ignored.
        say(
            "vaccinnet: " + _("the command you asked for is ignored; this key opens the console"),
            file=sys.stderr,
        )

    def hang_up(_signum: int, _frame: object) -> None:
        # The connection dropped: stop now. A write in progress is one transaction, so it is
        # complete or absent; the alarm ends a shutdown that the dead terminal would block.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(5)
        app.exit(return_code=129)

    signal.signal(signal.SIGHUP, hang_up)
    # Inherited COLUMNS/LINES would pin the size and make every resize go unnoticed.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    app.run()
    return app.return_code or 0


def _program(explicit: str | None) -> str:
    import shutil

    candidates = [
        explicit,
        str(Path(sys.executable).with_name("vaccinnet")),
        shutil.which("vaccinnet"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(Path(candidate).resolve())
    raise CommandError(_("cannot find the vaccinnet executable; give --program"))


def _operator() -> str:
    """Who runs the command, from the real uid: $LOGNAME and $USER are the caller's to set."""
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _ssh(root: Location, args: argparse.Namespace) -> int:
    from rules import normalize_niss
    from rules.fields import clean_admin_id
    from tui import ssh_keys

    keys = Path(args.authorized_keys)
    try:
        if args.ssh_command == "list":
            found = ssh_keys.read_keys(keys)
            for grant in found.grants:
                # A key's comment is whatever its owner wrote: shown, never obeyed.
                say(printable(f"{grant.identity:<24} {grant.key.fingerprint}  {grant.key.comment}"))
            _warn_damaged(keys, found.damaged)
            return 0
        store = _existing_store(root)
        operator = _operator()
        if args.ssh_command == "revoke":
            fingerprint = (
                args.fingerprint or ssh_keys.read_public_key(Path(args.key_file)).fingerprint
            )
            revoked = ssh_keys.revoke(keys, fingerprint)
            for grant in revoked.gone:
                store.note_ssh_key(operator, "ssh_key_revoked", grant.identity, fingerprint)
                say(
                    printable(
                        _("revoked {identity} {fingerprint}").format(
                            identity=grant.identity, fingerprint=fingerprint
                        )
                    )
                )
            _warn_damaged(keys, revoked.damaged)
            for number in revoked.still_holding:
                say(
                    "vaccinnet: "
                    + _(
                        "{file}: line {number} still holds this key, which can still log in "
                        "through it: remove that line"
                    ).format(file=keys, number=number),
                    file=sys.stderr,
                )
            return 1 if revoked.still_holding else 0
        key = ssh_keys.read_public_key(Path(args.key_file))
        if args.key_niss:
            niss = normalize_niss(args.key_niss)
            if not store.links_of(niss) and not args.applicant:
                raise CommandError(
                    _(
                        "{niss} is linked to no entity; add --applicant if this person will "
                        "request access"
                    ).format(niss=format_niss(niss))
                )
            identity = f"niss:{niss}"
        else:
            # An id stored before ids had an alphabet must not reach a forced command.
            admin_id = clean_admin_id(args.key_admin)
            if store.admin(admin_id) is None:
                raise CommandError(_("‘{admin}’ is not an administrator").format(admin=admin_id))
            identity = f"admin:{admin_id}"
        data = root.resolve() if isinstance(root, Path) else root
        added, damaged = ssh_keys.authorize(keys, _program(args.program), data, identity, key)
        if added:
            store.note_ssh_key(operator, "ssh_key_authorized", identity, key.fingerprint)
            say(
                _("authorized {identity} {fingerprint} in {file}").format(
                    identity=identity, fingerprint=key.fingerprint, file=keys
                )
            )
        else:
            say(
                _("{identity} {fingerprint} was already authorized").format(
                    identity=identity, fingerprint=key.fingerprint
                )
            )
        _warn_damaged(keys, damaged)
        return 0
    except ssh_keys.KeyProblem as exc:
        raise CommandError(str(exc)) from None


def _warn_damaged(keys: Path, damaged: Sequence[object]) -> None:
    for damage in damaged:
        warning = _("warning: {file}: {damage}").format(file=keys, damage=damage)
        say(f"vaccinnet: {warning}", file=sys.stderr)


def _admin_console(root: Location, admin_id: str, lang: str | None) -> int:
    from tui.admin_app import AdminApp

    store = _console_store(root)
    admin = store.admin(admin_id)
    if admin is None:
        raise CommandError(
            _("‘{admin}’ is not an administrator of {data}").format(
                admin=admin_id, data=shown(root)
            )
        )
    return _run_console(AdminApp(store, admin_id, lang, admin_name=admin.name))


def _copy(args: argparse.Namespace) -> int:
    """Copy a store between backends, then say what proves the copy."""
    from store.copying import copy_store

    try:
        source, target = data_dir(args.source), data_dir(args.target)
    except LocationError as exc:
        raise CommandError(_(_NOT_A_STORE).format(value=exc.args[0]), 2) from None
    for option, where in (("--from", source), ("--to", target)):
        if isinstance(where, str) and has_password(where):
            raise CommandError(f"{option}: " + _(_PASSWORD_REFUSED), 2)
    if shown(source) == shown(target):
        raise CommandError(_("--from and --to name the same store"))
    report = copy_store(_existing_store(source), _open(target))
    for table, count in report.counts.items():
        say(f"{table:<10} {count:>8}  sha256 {report.digests[table][:16]}")
    say(
        _("Copied to {target}: {entries} audit entries, the chain verified up to {head}.").format(
            target=shown(target), entries=report.audit_entries, head=(report.audit_head or "")[:16]
        )
    )
    return 0


def _migrate_schema(root: Location) -> int:
    """A database's migrations, applied on purpose (a file store converts itself on opening)."""
    if isinstance(root, Path):
        _existing_store(root)
        say(
            _("{data}: a file store is converted when it is opened; nothing to do.").format(
                data=shown(root)
            )
        )
        return 0
    from store.store import postgresql

    pg = postgresql(root)
    before, applied = pg.migrate_database(root)
    if not applied:
        say(_("{data}: schema {schema}, up to date.").format(data=shown(root), schema=before))
    else:
        say(
            _("{data}: schema {before} → {after}.").format(
                data=shown(root), before=before, after=applied[-1]
            )
        )
    return 0


def _init(root: Location, args: argparse.Namespace) -> int:
    store = _open(root)
    if store.admins():
        raise CommandError(
            _("{data} already holds a store with administrators").format(data=shown(root))
        )
    admin = store.add_admin(args.admin, args.admin_name, args.admin_niss, args.admin_email)
    say(
        printable(
            _("Store created in {data} with administrator {admin} ({name}).").format(
                data=shown(root), admin=admin.id, name=admin.name
            )
        )
    )
    return 0


def _entity_add(root: Location, args: argparse.Namespace) -> int:
    store = _open(root)
    new = NewEntity(
        entity_id=args.entity_id,
        name=args.name,
        kind=args.kind,
        email=args.email,
        language=args.entity_lang,
        manager_niss=args.manager_niss,
        manager_last_name=args.manager_last,
        manager_first_name=args.manager_first,
        manager_type=args.manager_type,
    )
    entity = store.create_entity(args.admin, new)
    say(printable(_("Entity {id} ({name}) created.").format(id=entity.id, name=entity.name)))
    return 0


def _demo(root: Location) -> int:
    from store.demo import DEMO_ADMINS, build_demo
    from tui.demo_people import demo_logins

    try:
        store = build_demo(root, datetime.now(UTC))
    except ValueError:  # the one refusal of build_demo: a store that holds something
        raise CommandError(
            _("{data} already holds a store; choose an empty directory").format(data=shown(root))
        ) from None
    counts = store.counts()
    say(
        _(
            "Demo store written to {data}: {entities} entities, {links} links, "
            "{pending} pending requests."
        ).format(
            data=shown(root),
            entities=counts["entities"],
            links=counts["links"],
            pending=len(store.requests()),
        )
    )
    # The commands are printed as they can be pasted: the program by the path it was run
    # from, since a fresh virtualenv is not on PATH.
    program = _shown_program()
    say(_("Open a console as:"))
    for label, niss in demo_logins():
        say(f"  {program} --data {shown(root)} --niss {format_niss(niss)}   # {label}")
    for admin_id, name in DEMO_ADMINS:
        role = _("{name}, administrator").format(name=name)
        say(f"  {program} --data {shown(root)} admin --admin {admin_id}   # {role}")
    return 0


def _shown_program() -> str:
    """How to type this program again: its path relative to here when it is not on PATH."""
    import shutil

    here = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if here is None or here.name != "vaccinnet" or not here.is_file():
        return "vaccinnet"  # python -m tui.cli, as in the tests
    on_path = shutil.which("vaccinnet")
    if on_path and Path(on_path).resolve() == here.resolve():
        return "vaccinnet"
    try:
        return str(here.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(here.resolve())


def _anchors(args: argparse.Namespace) -> list[Anchor]:
    anchors = []
    for text in args.audit_head:
        anchor = parse_anchor(text)
        if anchor is None:
            raise CommandError(
                _(
                    "--audit-head ‘{text}’: give SEQ:HASH as printed by ‘vaccinnet audit head’"
                ).format(text=printable(text))
            )
        anchors.append(anchor)
    if args.audit_heads:
        try:
            text = Path(args.audit_heads).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise CommandError(
                _("{file}: cannot be read ({problem})").format(
                    file=args.audit_heads, problem=said(exc)
                )
            ) from None
        found = anchors_in(text)
        if not found:
            raise CommandError(_("{file}: holds no SEQ:HASH head").format(file=args.audit_heads))
        anchors.extend(found)
    return list(dict.fromkeys(anchors))  # a head mailed twice is one head


def _check(root: Location, anchors: list[Anchor], reindex: bool = False) -> int:
    store = _existing_store(root)
    if reindex:
        store.reindex()
        if isinstance(root, Path):
            say("OK " + _("{data}: indexes rebuilt.").format(data=shown(root)))
        else:  # the database keeps its own indexes: only the queue's warnings were made anew
            say("OK " + _("{data}: the queue's warnings rebuilt.").format(data=shown(root)))
    problems = store.verify(anchors)
    for note in getattr(problems, "notes", ()):
        say(f"NOTE {said(note)}")
    if problems:
        for problem in problems:
            say(f"FAIL {printable(said(problem))}")
        _note_housekeeping(store)
        damaged = any(getattr(problem, "damage", False) for problem in problems)
        found = ngettext("{count} problem found", "{count} problems found", len(problems))
        summary = found.format(count=len(problems))
        if damaged:
            summary += _(", files or documents damaged")
        say(f"{root}: {summary}.", file=sys.stderr)
        return 2 if damaged else 1
    counts = store.counts()
    say(
        "OK "
        + _(
            "{data}: {entities} entities, {links} links, {requests} requests, {mails} mails, "
            "audit trail of {audit} entries intact."
        ).format(
            data=shown(root),
            entities=counts["entities"],
            links=counts["links"],
            requests=counts["requests"],
            mails=counts["outbox"],
            audit=counts["audit"],
        )
    )
    if anchors:
        say(
            "OK "
            + ngettext(
                "the audit trail extends {count} anchored head, the latest {head}",
                "the audit trail extends {count} anchored heads, the latest {head}",
                len(anchors),
            ).format(count=len(anchors), head=max(anchors, key=lambda a: a.seq).short)
        )
    # After the verdict: a service not running is no fault of the files.
    _note_housekeeping(store)
    return 0


def _note_housekeeping(store: Store) -> None:
    """Requests wait while no housekeeping service runs: say so where admins look."""
    last = store.last_housekeeping()
    if last is not None and (local(store.now()).date() - last).days <= 1:
        return
    if not store.requests():
        return
    if last is None:
        text = _("housekeeping has never run on this store: run '{command}' as a service")
    else:
        text = _("housekeeping last ran on {date}: run '{command}' as a service")
    say(
        "NOTE "
        + text.format(
            date=last.strftime("%d/%m/%Y") if last else "",
            command="vaccinnet housekeeping --watch",
        )
    )


def shown(root: Location) -> str:
    """Where the store is, as messages say it: a URL without its password."""
    return redacted(root) if isinstance(root, str) else str(root)


def _existing_store(root: Location) -> Store:
    """Commands other than init and demo never create a store where none is."""
    if isinstance(root, Path) and not (root / "manifest.json").exists():
        raise CommandError(
            _("{data} holds no store (no manifest.json); run ‘vaccinnet init’").format(
                data=shown(root)
            )
        )
    return _open(root, create=False)


def _lock_timeout() -> float:
    """How long to wait for the store: $VACCINNET_LOCK_TIMEOUT seconds (30)."""
    text = os.environ.get("VACCINNET_LOCK_TIMEOUT", "30")
    try:
        timeout = float(text)
    except ValueError:
        timeout = -1.0
    if not 0 <= timeout < 86400:
        raise CommandError(
            _("VACCINNET_LOCK_TIMEOUT={value}: give seconds, 0 to 86399").format(value=repr(text))
        )
    return timeout


def _open(root: Location, create: bool = True) -> Store:
    """The store, waiting for its lock as long as $VACCINNET_LOCK_TIMEOUT says (30 s)."""
    timeout = _lock_timeout()

    def waiting(holder: str) -> None:
        say(
            "vaccinnet: "
            + _("waiting for the store's lock on {data}, held by {holder}…").format(
                data=shown(root), holder=said(holder)
            ),
            file=sys.stderr,
            flush=True,
        )

    return open_store(root, lock_timeout=timeout, waiting=waiting, create=create)


def _notify(root: Location, args: argparse.Namespace) -> int:
    from store.mailer import ConfigError, deliver_due, reason_text, sender_for, transport_for

    store = _existing_store(root)
    try:
        home = mail_home(root)
        transport, sender = transport_for(home), sender_for(home)
    except ConfigError as exc:
        raise CommandError(said(exc.args[0])) from None

    unrecorded: list[str] = []  # accepted by the server while the store was out of reach

    def deliver() -> None:
        report = deliver_due(store, transport, sender, unrecorded)
        for mail_id, reason in report.reasons.items():
            say(
                _("failed {mail}: {reason}").format(mail=mail_id, reason=reason_text(said(reason))),
                file=sys.stderr,
                flush=True,
            )
        if report.sent or report.deferred or report.failed or not args.watch:
            say(
                _("sent {sent}, deferred {deferred}, failed {failed}").format(
                    sent=len(report.sent), deferred=len(report.deferred), failed=len(report.failed)
                ),
                flush=True,
            )

    return _service("notify", deliver, args)


def _housekeeping(root: Location, args: argparse.Namespace) -> int:
    store = _existing_store(root)

    def tidy() -> None:
        report = store.housekeeping()
        for request in report.expired:
            say(
                _("expired {request} ({entity}), filed {filed}").format(
                    request=request.id,
                    entity=request.entity_id,
                    filed=fmt_datetime(request.filed_at),
                ),
                flush=True,
            )
        for mail in report.digests:
            say(
                _("digest {mail} queued for {to}: {count} overdue").format(
                    mail=mail.id, to=mail.to, count=report.overdue
                ),
                flush=True,
            )
        if not args.watch:
            say(
                _(
                    "expired {expired}, digests {digests}, end warnings {warned}, links ended "
                    "{ended}, kept past their end {held}, review reminders {reminded}"
                ).format(
                    expired=len(report.expired),
                    digests=len(report.digests),
                    warned=len(report.warned),
                    ended=len(report.ended),
                    held=len(report.held),
                    reminded=len(report.reminded),
                ),
                flush=True,
            )

    return _service("housekeeping", tidy, args)


def _service(name: str, one_round: Callable[[], None], args: argparse.Namespace) -> int:
    """Run ``one_round`` once, or with --watch every --interval seconds until SIGTERM.

    A service never dies of one bad round: it says why and tries again after the pause. A
    single run (--once) reports the fault with its exit status instead."""
    import signal
    import time

    stop: list[bool] = []
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        while True:
            try:
                one_round()
            except StoreError as exc:
                if not args.watch:
                    raise
                problem = _("{problem}; next try in {seconds} s").format(
                    problem=printable(said(exc)), seconds=f"{args.interval:g}"
                )
                say(f"vaccinnet {name}: {problem}", file=sys.stderr, flush=True)
            except Exception as exc:
                if not args.watch:
                    raise
                problem = _("unexpected error: {problem}; next try in {seconds} s").format(
                    problem=printable(repr(exc)), seconds=f"{args.interval:g}"
                )
                say(f"vaccinnet {name}: {problem}", file=sys.stderr, flush=True)
            if not args.watch or stop:
                return 0
            deadline = time.monotonic() + args.interval
            while time.monotonic() < deadline and not stop:
                time.sleep(0.2)
            if stop:
                return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _settings(root: Location, args: argparse.Namespace) -> int:
    store = _existing_store(root)
    if args.settings_command == "set":
        changes: dict[str, object] = {}
        for pair in args.changes:
            name, equals, value = pair.partition("=")
            if not equals:
                raise CommandError(
                    _("‘{text}’: give NAME=VALUE, e.g. expire_after_days=60").format(
                        text=printable(pair)
                    )
                )
            changes[name.strip()] = value
        after = store.change_settings(args.admin, changes)
        count = len(store.expiring(after))
        if count:
            say(
                "vaccinnet: "
                + ngettext(
                    "note: {count} pending request is past this deadline and expires at the "
                    "next housekeeping round",
                    "note: {count} pending requests are past this deadline and expire at the "
                    "next housekeeping round",
                    count,
                ).format(count=count),
                file=sys.stderr,
            )
    else:
        after = store.settings()
    for name, value in after.as_dict().items():
        say(f"{name} = {value}")
    last = store.last_housekeeping()
    when = last.strftime("%d/%m/%Y") if last else _("never")
    say(_("last housekeeping round: {when}").format(when=when))
    return 0


def _read_import(name: str) -> str:
    """The file (or stdin for -), refused by its size before it is read whole."""
    from rules.bulk import MAX_BYTES, decode

    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(name, "rb") as source:
                data = source.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            _("{file}: cannot be read ({problem})").format(file=name, problem=said(exc))
        ) from None
    return decode(data)


def _import(root: Location, args: argparse.Namespace, lang: str) -> int:
    import json

    from rules.bulk import parse_rows

    rows = parse_rows(_read_import(args.file))
    store = _existing_store(root)
    as_admin = args.import_admin is not None
    actor = args.import_admin if as_admin else args.actor_niss
    if args.dry_run:
        verdicts = store.preview_import(actor, args.entity, rows, as_admin=as_admin)
    else:
        verdicts = store.file_import(actor, args.entity, rows, as_admin=as_admin)
    words = {
        "ready": _("ready") if args.dry_run else _("linked") if as_admin else _("filed"),
        "refused": _("refused"),
        "duplicate": _("duplicate"),
        "linked": _("already linked"),
        "pending": _("already pending"),
    }
    # For scripts: what happened to each row, never a word that means two things.
    done = "ready" if args.dry_run else "linked" if as_admin else "filed"
    codes = {"ready": done, "linked": "already_linked", "pending": "already_pending"}
    for v in verdicts:
        if args.json:
            say(
                json.dumps(
                    {
                        "line": v.row.line,
                        "status": codes.get(v.status, v.status),
                        "request": v.request.id if v.request and not args.dry_run else None,
                        "message": v.message(lang) or None,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        status = words[v.status]
        if v.request is not None and not args.dry_run:
            status += f" {v.request.id}"
        if v.refusal is not None:
            status = _("{status}: {reason}").format(status=status, reason=v.message(lang))
        say(_("line {line}: {status}").format(line=v.row.line, status=status))
    ready = sum(1 for v in verdicts if v.status == "ready")
    if args.dry_run:
        summary = _("{ready} of {count} rows ready; nothing filed (--dry-run).")
    elif as_admin:
        summary = _("{ready} of {count} rows linked in one transaction.")
    else:
        summary = _("{ready} of {count} rows filed in one transaction.")
    say(summary.format(ready=ready, count=len(verdicts)), file=sys.stderr)
    return 0 if ready == len(verdicts) else 1


def _export(root: Location, args: argparse.Namespace, lang: str) -> int:
    import json

    from rules.bulk import COLUMNS, export_csv, export_rows

    store = _existing_store(root)
    if store.entity(args.entity) is None:
        raise CommandError(_("there is no entity ‘{entity}’").format(entity=printable(args.entity)))
    staff = store.staff(args.entity)
    if args.format == "json":
        for row in export_rows(staff, lang):
            say(json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False))
        return 0
    # A BOM, so that a Belgian Excel opens the accents right; import reads it back.
    sys.stdout.write("\ufeff")
    say(export_csv(staff, lang).rstrip("\n"))
    return 0


def _review(root: Location, args: argparse.Namespace) -> int:
    store = _existing_store(root)
    if args.review_command == "open":
        opened = store.open_review(args.admin, args.due, args.kind)
        kinds = ", ".join(opened.kinds) or _("every entity")
        say(
            _("Review {id} opened, due {due}: {kinds}.").format(
                id=opened.id, due=opened.due.strftime("%d/%m/%Y"), kinds=kinds
            )
        )
        return 0
    if args.review_command == "close":
        say(_("Review {id} closed.").format(id=store.close_review(args.admin).id))
        return 0
    campaign = store.campaign()
    if campaign is None or not campaign.is_open:
        say(_("No review is open."))
        return 0
    from rules.recertification import is_overdue_review, is_past_due
    from tui.wording import REVIEW_STATES

    today = local(store.now()).date()
    late = is_past_due(campaign, today)
    say(
        _("Review {id}, due {due}{late}.").format(
            id=campaign.id,
            due=campaign.due.strftime("%d/%m/%Y"),
            late=_(" (overdue)") if late else "",
        )
    )
    for review in store.review_overview():
        done = review.progress
        mark = "!" if is_overdue_review(campaign, today, done) else " "
        say(
            printable(
                f"{mark} {review.entity.id:<24} {done.done:>5}/{done.total:<5} "
                f"{_(REVIEW_STATES[done.state]):<14} {review.entity.name}"
            )
        )
    return 0


def _admins(root: Location, args: argparse.Namespace) -> int:
    store = _existing_store(root)
    if args.admins_command == "add":
        admin = store.add_admin(
            args.new_id, args.name, args.new_niss, args.email, added_by=args.admin
        )
        say(
            printable(
                _("Administrator {admin} ({name}) added.").format(admin=admin.id, name=admin.name)
            )
        )
        return 0
    if args.admins_command == "email":
        admin = store.set_admin_email(args.admin, args.target_id, args.address)
        if admin.email:
            text = _("{admin}'s digest goes to {email}.").format(admin=admin.id, email=admin.email)
        else:
            text = _("{admin} gets no digest.").format(admin=admin.id)
        say(printable(text))
        return 0
    for admin in store.admins():
        niss = format_niss(admin.niss) if admin.niss else "-"
        say(printable(f"{admin.id:<16} {niss:<15} {admin.email or '-':<32} {admin.name}"))
    return 0


def _parse_day(text: str) -> date:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CommandError(
        _("--since {value}: use YYYY-MM-DD or DD/MM/YYYY").format(value=repr(printable(text)))
    )


def _audit(root: Location, args: argparse.Namespace) -> int:
    import json

    from rules import normalize_niss
    from rules.text import is_unsafe_char

    store = _existing_store(root)
    if args.audit_command == "head":
        return _audit_head(store, args.json)
    niss = normalize_niss(args.niss) if args.niss else None
    since = _parse_day(args.since) if args.since else None
    if args.entity is not None and store.entity(args.entity) is None:
        # An empty list would read as "nothing happened there"; a typo must not look like that.
        raise CommandError(_("there is no entity ‘{entity}’").format(entity=printable(args.entity)))
    for entry in store.audit_entries(entity_id=args.entity, niss=niss, since=since):
        if args.json:
            line = json.dumps(entry.as_dict(), ensure_ascii=False)
            # JSON escapes C0 only; C1 controls and bidi marks get the same \uXXXX form.
            say("".join(f"\\u{ord(ch):04x}" if is_unsafe_char(ch) else ch for ch in line))
            continue
        when = fmt_datetime(datetime.fromisoformat(entry.at))
        detail = " ".join(f"{k}={v}" for k, v in entry.detail.items())
        # Entries hold what people typed, and older ones predate the rules on control characters.
        say(
            printable(
                f"{entry.seq:>6}  {when}  {entry.actor:<12} {entry.action:<17} "
                f"{entry.entity_id or '-':<16} {entry.niss or '-':<11} "
                f"{entry.request_id or '-':<7} {detail}".rstrip()
            )
        )
    return 0


def _audit_head(store: Store, as_json: bool) -> int:
    import json

    report = store.verify_audit()
    if report.findings:
        # A head is only worth keeping if the trail up to it is intact.
        for problem in report.findings:
            say(f"FAIL {said(problem)}")
        say("vaccinnet: " + _("the audit trail is broken; no head printed"), file=sys.stderr)
        return 1
    for note in report.findings.notes:
        say(f"NOTE {said(note)}", file=sys.stderr)  # stdout stays the head alone, for scripts
    head = report.head
    if as_json:
        say(
            json.dumps({"seq": head.seq, "hash": head.hash, "at": report.at, "keyed": report.keyed})
        )
    else:
        say(head)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    try:
        status = run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:
        status = _reader_gone()
    except Exception as exc:  # before the data dir is known; VACCINNET_DEBUG=1 raises instead
        if os.environ.get("VACCINNET_DEBUG"):
            raise
        status = _incident(exc, None, _default_lang())
    sys.exit(status)


if __name__ == "__main__":
    main()
