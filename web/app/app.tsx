export function App() {
  return (
    <main>
      <h1>Motion Studio</h1>
    </main>
  );
}
