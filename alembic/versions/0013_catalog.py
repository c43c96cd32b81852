"""catalog: products and categories, price books with their entries and company assignments,
carts, quote requests and sales orders with their lines, the number counters of quotes and
orders, and opportunities

Revision ID: 0013_catalog
Revises: 0012_invoice_seller
Create Date: 2026-12-05 10:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0013_catalog'
down_revision: Union[str, Sequence[str], None] = '0012_invoice_seller'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('numbercounter',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('pricebook',
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name='ck_pricebook_dates'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('productcategory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('companypricebook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('price_book_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['price_book_id'], ['pricebook.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('companypricebook', schema=None) as batch_op:
        batch_op.create_index('ix_companypricebook_book', ['price_book_id'], unique=False)
        batch_op.create_index('ux_companypricebook_company_book', ['company_id', 'price_book_id'], unique=True)

    op.create_table('product',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('list_price_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('orderable', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('search_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('image_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('image_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('list_price_cents >= 0', name='ck_product_price'),
    sa.ForeignKeyConstraint(['category_id'], ['productcategory.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index('ix_product_archived_name', ['archived', 'name'], unique=False)
        batch_op.create_index('ix_product_archived_price', ['archived', 'list_price_cents', 'code'], unique=False)
        batch_op.create_index('ix_product_category_name', ['category_id', 'archived', 'name'], unique=False)
        batch_op.create_index('ix_product_search', ['archived', 'search_text', 'name', 'code', 'list_price_cents'],
                              unique=False)

    op.create_table('cartline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_milli', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('quantity_milli > 0', name='ck_cartline_quantity'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cartline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cartline_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ux_cartline_contact_product', ['contact_id', 'product_id'], unique=True)

    op.create_table('pricebookentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('price_book_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name='ck_pricebookentry_price'),
    sa.ForeignKeyConstraint(['price_book_id'], ['pricebook.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pricebookentry', schema=None) as batch_op:
        batch_op.create_index('ix_pricebookentry_book_price', ['price_book_id', 'price_cents', 'product_id'],
                              unique=False)
        batch_op.create_index('ix_pricebookentry_product', ['product_id'], unique=False)
        batch_op.create_index('ux_pricebookentry_book_product', ['price_book_id', 'product_id'], unique=True)

    op.create_table('opportunity',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('owner_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index('ix_opportunity_company_stage', ['company_id', 'stage', 'expected_close'], unique=False)

    op.create_table('quoterequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('wanted_delivery_date', sa.Date(), nullable=True),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('subtotal_cents', sa.Integer(), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('quoted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('quoted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['quoted_by_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('quoterequest', schema=None) as batch_op:
        batch_op.create_index('ix_quoterequest_company_number', ['company_id', 'number'], unique=False)
        batch_op.create_index('ix_quoterequest_status_number', ['status', 'number'], unique=False)

    op.create_table('quoteline',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('quantity_milli', sa.Integer(), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=True),
    sa.Column('net_cents', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['quote_id'], ['quoterequest.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quoteline', schema=None) as batch_op:
        batch_op.create_index('ix_quoteline_quote_position', ['quote_id', 'position'], unique=False)

    op.create_table('salesorder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('wanted_delivery_date', sa.Date(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('subtotal_cents', sa.Integer(), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['quote_id'], ['quoterequest.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('quote_id'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.create_index('ix_salesorder_company_number', ['company_id', 'number'], unique=False)
        batch_op.create_index('ix_salesorder_status_number', ['status', 'number'], unique=False)

    op.create_table('salesorderline',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('quantity_milli', sa.Integer(), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('net_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['salesorder.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('salesorderline', schema=None) as batch_op:
        batch_op.create_index('ix_salesorderline_order_position', ['order_id', 'position'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('salesorderline', schema=None) as batch_op:
        batch_op.drop_index('ix_salesorderline_order_position')

    op.drop_table('salesorderline')
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.drop_index('ix_salesorder_status_number')
        batch_op.drop_index('ix_salesorder_company_number')

    op.drop_table('salesorder')
    with op.batch_alter_table('quoteline', schema=None) as batch_op:
        batch_op.drop_index('ix_quoteline_quote_position')

    op.drop_table('quoteline')
    with op.batch_alter_table('quoterequest', schema=None) as batch_op:
        batch_op.drop_index('ix_quoterequest_status_number')
        batch_op.drop_index('ix_quoterequest_company_number')

    op.drop_table('quoterequest')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunity_company_stage')

    op.drop_table('opportunity')
    with op.batch_alter_table('pricebookentry', schema=None) as batch_op:
        batch_op.drop_index('ux_pricebookentry_book_product')
        batch_op.drop_index('ix_pricebookentry_product')
        batch_op.drop_index('ix_pricebookentry_book_price')

    op.drop_table('pricebookentry')
    with op.batch_alter_table('cartline', schema=None) as batch_op:
        batch_op.drop_index('ux_cartline_contact_product')
        batch_op.drop_index(batch_op.f('ix_cartline_product_id'))

    op.drop_table('cartline')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_search')
        batch_op.drop_index('ix_product_category_name')
        batch_op.drop_index('ix_product_archived_price')
        batch_op.drop_index('ix_product_archived_name')

    op.drop_table('product')
    with op.batch_alter_table('companypricebook', schema=None) as batch_op:
        batch_op.drop_index('ux_companypricebook_company_book')
        batch_op.drop_index('ix_companypricebook_book')

    op.drop_table('companypricebook')
    op.drop_table('productcategory')
    op.drop_table('pricebook')
    op.drop_table('numbercounter')
