"""`python -m portal_app.invoices_reconcile [--days N]`: re-read the recent PaymentIntents from
Stripe and record any payment whose webhook never came. Safe to run any time (cron, by hand),
any number of times, beside the running app: each payment is recorded once."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import timedelta

from sqlmodel import Session

from .db import get_engine
from .services.invoices import payments
from .services.invoices.core import payments_enabled
from .services.invoices.invoice_rules import RECONCILE_WINDOW


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=RECONCILE_WINDOW.days,
                        help="look at PaymentIntents made in the last DAYS days (default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not payments_enabled():
        print("Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY): nothing to reconcile")
        return 0
    with Session(get_engine()) as session:
        report = payments.reconcile(session=session, since=timedelta(days=max(1, args.days)))
    print(f"checked {report.checked}, recorded {report.recorded}, updated {report.updated}, errors {report.errors}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
