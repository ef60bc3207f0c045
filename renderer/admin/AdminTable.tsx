import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface AdminTableProps {
  readonly title: string;
  readonly columns: readonly string[];
  /** The rows; each ends with a cell of actions, under a header only screen readers see. */
  readonly children: ReactNode;
}

/** A titled panel holding one table of an admin screen, scrolling sideways when narrow. */
export function AdminTable({ title, columns, children }: AdminTableProps) {
  const { t } = useTranslation();
  return (
    <section className="panel">
      <h2>{title}</h2>
      <div className="table-scroller">
        <table className="admin-table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </section>
  );
}
