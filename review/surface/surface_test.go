package surface

import "testing"

func TestIsTestFileName(t *testing.T) {
	for p, want := range map[string]bool{
		"internal/app/app_test.go": true, "src/a.spec.ts": true, "tests/test_x.py": true,
		"src/components/Toaster.stories.tsx": true, "src/components/Toaster.tsx": false,
		"internal/app/app.go": false, "src/stories/index.ts": false,
	} {
		if got := IsTestFileName(p); got != want {
			t.Errorf("IsTestFileName(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestClassifyExampleSnippets(t *testing.T) {
	for p, want := range map[string]Context{
		"packages/server/src/server/streamableHttp.examples.ts": ContextDocs,
		"config/settings.example.json":                          ContextDocs,
		"packages/server/src/server/streamableHttp.ts":          ContextCode,
		".env.example":             ContextCode,
		"examples/server/index.ts": ContextDocs,
	} {
		if got := Classify(p); got != want {
			t.Errorf("Classify(%q) = %v, want %v", p, got, want)
		}
	}
}
