// Package surface finds the hunks of a commit that change the application's
// attack surface.
package surface

// Finding is one surface change, in SPEC.md's terms.
type Finding struct {
	Category string `json:"category"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"` // low, medium, high, critical
	File     string `json:"file"`
	Line     int    `json:"line"`
	EndLine  int    `json:"end_line"`
	Side     string `json:"side"` // "new", or "old" for a removal
	Evidence string `json:"evidence"`
	Message  string `json:"message"`
}
