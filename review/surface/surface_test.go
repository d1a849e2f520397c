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
