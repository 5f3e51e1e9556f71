// The terminal's size, updated on resize so layouts fit 80x24 and anything larger.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** What the layout assumes when neither the terminal nor the environment tells the size. */
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

function positive(value: number | string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The size the stream reports; where it reports none (a terminal that answers
 * 0 before its first resize, a pty without a size), the shell's LINES and
 * COLUMNS; only then the classic 80x24.
 */
export function terminalSize(stream: { columns?: number; rows?: number }, env: NodeJS.ProcessEnv = process.env): TerminalSize {
  return {
    columns: positive(stream.columns) ?? positive(env.COLUMNS) ?? FALLBACK.columns,
    rows: positive(stream.rows) ?? positive(env.LINES) ?? FALLBACK.rows,
  };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => terminalSize(stdout));
  useEffect(() => {
    const onResize = () => {
      const next = terminalSize(stdout);
      setSize((current) => (current.columns === next.columns && current.rows === next.rows ? current : next));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
