package visible

import (
	"encoding/json"
	"io"
)

// EncodeJSON writes v as JSON (indented when indent is set) for output that
// may reach a terminal. It is the one JSON encoder every command uses.
func EncodeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}
