"""The mini web shop: the catalog with each company's prices (products, prices), the cart (cart),
quote requests and staff's answers (quotes), sales orders (orders), opportunities (opportunities),
staff's products, categories, price books and assignments (admin) and CSV imports (csv_import),
their mails (catalog_mail) and PDFs (pdf). Who sees what is in scope.py; vocabularies, transitions
and limits in catalog_rules.py; what quotes and orders share in documents.py."""
