package infra

import (
	"strings"
	"testing"
)

// pathological are inputs built to trip nesting, continuation and heredoc
// handling; each must be read to the end without a panic. How long they
// take is BenchmarkPathological's business, not a unit test's.
var pathological = []string{
	strings.Repeat("[", 200000), strings.Repeat("a = \"${", 50000), strings.Repeat("-", 200000),
	strings.Repeat("- ", 100000), strings.Repeat("{a: ", 50000), strings.Repeat("a:\n  ", 20000),
	strings.Repeat("---\n", 100000), strings.Repeat("RUN curl x \\\n", 50000), strings.Repeat("x ? y : ", 50000),
	strings.Repeat("a = <<EOF\n", 20000), strings.Repeat("{{ ", 100000),
	strings.Repeat("curl x | ", 20000) + "sh", strings.Repeat("RUN curl x | sh\n", 20000),
	strings.Repeat("bash -c 'curl x | sh' && ", 5000), strings.Repeat("$(", 20000),
}

func TestPathological(t *testing.T) {
	for _, in := range pathological {
		for _, p := range fuzzPaths {
			New().Detect(fuzzChange(p, "", in))
		}
	}
}

// BenchmarkPathological is the time of every pathological input on every
// infrastructure file type (about 1.5 s in all here without -race).
func BenchmarkPathological(b *testing.B) {
	for b.Loop() {
		for _, in := range pathological {
			for _, p := range fuzzPaths {
				New().Detect(fuzzChange(p, "", in))
			}
		}
	}
}
