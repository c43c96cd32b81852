"""product texts: a product's name, description and unit and a category's name in the portal's other
languages (services/catalog/product_texts.py); the search text then holds every language's name.

Revision ID: 0027_product_texts
Revises: 0026_translated_names
Create Date: 2026-12-05 18:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0027_product_texts"
down_revision: Union[str, Sequence[str], None] = "0026_translated_names"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "producttext",
        sa.Column("product_id", sa.Integer(), sa.ForeignKey("product.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("product_id", "lang"),
    )
    # a language's names in order, for the catalog sorted by name in that language
    op.create_index("ix_producttext_lang_name", "producttext", ["lang", "name", "product_id"])
    op.add_column("productcategory",
                  sa.Column("translations", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    if op.get_bind().dialect.name == "postgresql":
        # code and four names; SQLite does not enforce a VARCHAR's length (and copying the table
        # to change it would trip the foreign keys pointing at products)
        op.alter_column("product", "search_text", type_=sa.String(1000), existing_type=sa.String(300),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE product SET search_text = left(search_text, 300)")
        op.alter_column("product", "search_text", type_=sa.String(300), existing_type=sa.String(1000),
                        existing_nullable=False)
    op.drop_column("productcategory", "translations")
    op.drop_index("ix_producttext_lang_name", table_name="producttext")
    op.drop_table("producttext")
