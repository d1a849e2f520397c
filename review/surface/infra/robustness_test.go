package infra

import (
	"strings"
	"testing"
	"time"
)

func TestPathological(t *testing.T) {
	inputs := []string{
		strings.Repeat("[", 200000), strings.Repeat("a = \"${", 50000), strings.Repeat("-", 200000),
		strings.Repeat("- ", 100000), strings.Repeat("{a: ", 50000), strings.Repeat("a:\n  ", 20000),
		strings.Repeat("---\n", 100000), strings.Repeat("RUN curl x \\\n", 50000), strings.Repeat("x ? y : ", 50000),
		strings.Repeat("a = <<EOF\n", 20000), strings.Repeat("{{ ", 100000),
	}
	for i, in := range inputs {
		for _, p := range fuzzPaths {
			start := time.Now()
			New().Detect(fuzzChange(p, "", in))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("input %d on %s took %v", i, p, d)
			}
		}
	}
}
