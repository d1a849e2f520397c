package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// ts20k is a 20,000-line TypeScript file of the kinds of code vouch reads:
// imports, classes, calls, templates, comments.
func ts20k() []byte {
	var b strings.Builder
	b.WriteString("import * as cp from 'node:child_process';\nimport axios from 'axios';\n\n")
	for i := 0; b.Len() >= 0; i++ {
		fmt.Fprintf(&b, `// Handler%d serves one route.
export async function handler%d(req: Request, res: Response): Promise<void> {
  const id: string = req.params["id"] ?? '';
  const url = `+"`https://api.example.com/v1/items/${id}?n=%d`"+`;
  const r = await axios.get(url, { timeout: 5000 });
  if (r.status !== 200) {
    throw new Error("unexpected status " + r.status);
  }
  res.json({ ok: true, n: %d, items: r.data.items.map((x: any) => x.name) });
}

`, i, i, i, i)
		if strings.Count(b.String(), "\n") >= 20000 {
			break
		}
	}
	return []byte(b.String())
}

// BenchmarkParse20k parses and reads a 20,000-line TypeScript file.
func BenchmarkParse20k(b *testing.B) {
	src := ts20k()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(TypeScript, src); err != nil {
			b.Fatal(err)
		}
	}
}
