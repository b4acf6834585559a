// Runs before the first paint (a classic, blocking script): applies the theme the person
// chose, else the system's, else dark, so the page never flashes the wrong colours.
// The toggle and its rules live in js/lib/theme.js; the key and class names match it.
(function applyTheme() {
  var theme = null;
  try {
    theme = window.localStorage.getItem('distokoloshe_theme');
  } catch (error) {
    theme = null;
  }
  if (theme !== 'light' && theme !== 'dark') {
    var light = window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches;
    theme = light ? 'light' : 'dark';
  }
  var root = document.documentElement;
  root.classList.remove('theme-dark', 'theme-light');
  root.classList.add('theme-' + theme);
})();
