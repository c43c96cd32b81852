"""The catalog's states: browsing and the cart (`browse`), quotes and orders (`documents`),
opportunities, and the admin panel's products, price books, documents and opportunities (`admin*`)."""
