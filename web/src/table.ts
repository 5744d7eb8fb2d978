import { h, type Child } from './dom.js';

export interface Column<T> {
  title: string;
  /** The cell's content. */
  cell: (row: T) => Child;
  /** The value it sorts by (and its data-value); a column without one does not sort. */
  value?: (row: T) => number | string;
  numeric?: boolean;
}

export interface Table<T> {
  element: HTMLElement;
  /** New rows, same sort. */
  update(rows: T[]): void;
}

/** A real table: a caption, header cells with scope, sort buttons that say their order (aria-sort). */
export function dataTable<T>(caption: string, columns: Column<T>[], initialRows: T[], options: { empty?: string; id?: string; sortBy?: number } = {}): Table<T> {
  let rows = initialRows;
  let sortColumn = options.sortBy ?? -1;
  let ascending = false;
  const body = h('tbody');
  const headers = columns.map((column, index) => {
    const th = h('th', { scope: 'col', class: column.numeric ? 'num' : '' });
    if (column.value) {
      const button = h('button', { type: 'button', class: 'sort', onclick: () => sortOn(index) }, column.title);
      th.append(button);
    } else th.append(column.title);
    return th;
  });
  const render = (): void => {
    const sorted = [...rows];
    const by = columns[sortColumn]?.value;
    if (by) {
      sorted.sort((a, b) => {
        const x = by(a);
        const y = by(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
    }
    headers.forEach((th, index) => {
      if (index === sortColumn) th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    body.replaceChildren(
      ...(sorted.length === 0
        ? [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, options.empty ?? 'Nothing yet.'))]
        : sorted.map((row) =>
            h(
              'tr',
              {},
              columns.map((column, index) => {
                const value = column.value?.(row);
                const attrs = { class: column.numeric ? 'num' : '', 'data-value': value === undefined ? undefined : String(value) };
                return index === 0 ? h('th', { scope: 'row', ...attrs }, column.cell(row)) : h('td', attrs, column.cell(row));
              }),
            ),
          )),
    );
  };
  const sortOn = (index: number): void => {
    ascending = sortColumn === index ? !ascending : columns[index]?.numeric !== true;
    sortColumn = index;
    render();
  };
  render();
  const element = h('div', { class: 'table-wrap' }, h('table', { id: options.id }, h('caption', {}, caption), h('thead', {}, h('tr', {}, headers)), body));
  return {
    element,
    update(next) {
      rows = next;
      render();
    },
  };
}
