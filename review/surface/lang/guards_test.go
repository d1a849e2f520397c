package lang

import (
	"strings"
	"testing"
)

func TestGuardsAndRedaction(t *testing.T) {
	guard := `export async function checkWritePermissions(actor: string): Promise<boolean> {
  const perm = await lookup(actor);
  if (perm === "admin" || perm === "write") {
    return true;
  }
  return false;
}
`
	checkCases(t, []detectCase{
		{name: "guard lets a new actor through", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, "  const perm", "  if (allowedBots.includes(actor)) {\n    return true;\n  }\n  const perm", 1), want: []string{"auth"}},
		{name: "guard loses a branch", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, ` || perm === "write"`, "", 1), want: []string{"auth", "old:auth"}},
		{name: "logging edit in a guard", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, "  const perm", "  console.info(actor);\n  const perm", 1)},
		{name: "an ordinary function's branches", path: "src/format.ts", before: "export function formatRow(r) {\n  return r.name;\n}\n",
			after: "export function formatRow(r) {\n  if (r.draft) {\n    return false;\n  }\n  return r.name;\n}\n"},
		{name: "python guard", path: "app/auth.py", before: "def is_allowed(user):\n    return user.role == 'admin'\n",
			after: "def is_allowed(user):\n    if user.email.endswith('@corp.example'):\n        return True\n    return user.role == 'admin'\n", want: []string{"auth"}},
		{name: "redaction widened", path: "src/sanitizer.ts", before: "export function redactTokens(s: string) {\n  return s.replace(/ghp_\\w+/g, '[REDACTED]');\n}\n",
			after: "export function redactTokens(s: string) {\n  return s.replace(/gh[pousr]_\\w+/g, '[REDACTED]');\n}\n", want: []string{"logging", "old:logging"}},
		{name: "output passed through a redaction", path: "src/comment.ts", before: "export async function post(body) {\n  await api.comment(body);\n}\n",
			after: "export async function post(body) {\n  await api.comment(sanitizeContent(body));\n}\n", want: []string{"logging"}},
		{name: "python redaction dropped", path: "agent/messages.py", before: "def state(msg):\n    text = _filter_sensitive_data(msg)\n    return text\n",
			after: "def state(msg):\n    text = msg\n    return text\n", want: []string{"old:logging"}},
	})
}
