// The fixed product catalogue the demo target serves. Fixed (not generated) so that load
// scripts and tests can rely on ids 1..20 existing and on what a search returns.

export interface Product {
  id: number;
  name: string;
  price: number;
  category: string;
}

export const PRODUCTS: readonly Product[] = Object.freeze([
  { id: 1, name: 'Espresso Machine', price: 249.0, category: 'kitchen' },
  { id: 2, name: 'Burr Coffee Grinder', price: 89.5, category: 'kitchen' },
  { id: 3, name: 'Cast Iron Skillet', price: 39.99, category: 'kitchen' },
  { id: 4, name: 'Chef Knife', price: 74.0, category: 'kitchen' },
  { id: 5, name: 'Electric Kettle', price: 34.95, category: 'kitchen' },
  { id: 6, name: 'Mechanical Keyboard', price: 129.0, category: 'electronics' },
  { id: 7, name: 'Wireless Mouse', price: 29.99, category: 'electronics' },
  { id: 8, name: 'Noise Cancelling Headphones', price: 199.0, category: 'electronics' },
  { id: 9, name: 'USB-C Hub', price: 45.0, category: 'electronics' },
  { id: 10, name: '27-inch Monitor', price: 279.0, category: 'electronics' },
  { id: 11, name: 'Trail Running Shoes', price: 119.0, category: 'outdoor' },
  { id: 12, name: 'Camping Tent', price: 189.0, category: 'outdoor' },
  { id: 13, name: 'Insulated Water Bottle', price: 24.5, category: 'outdoor' },
  { id: 14, name: 'Hiking Backpack', price: 99.0, category: 'outdoor' },
  { id: 15, name: 'Headlamp', price: 19.99, category: 'outdoor' },
  { id: 16, name: 'Desk Lamp', price: 42.0, category: 'home' },
  { id: 17, name: 'Wool Blanket', price: 65.0, category: 'home' },
  { id: 18, name: 'Standing Desk', price: 399.0, category: 'home' },
  { id: 19, name: 'Coffee Table Book', price: 35.0, category: 'books' },
  { id: 20, name: 'Cookbook: Simple Suppers', price: 27.5, category: 'books' },
].map((product) => Object.freeze(product)));

export function findProduct(id: number): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}

/** Case-insensitive substring match on the product name. */
export function searchProducts(query: string): Product[] {
  const needle = query.toLowerCase();
  return PRODUCTS.filter((product) => product.name.toLowerCase().includes(needle));
}
