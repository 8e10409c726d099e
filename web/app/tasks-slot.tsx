/** PLACEHOLDER until web/features/tasks/ exports TasksPanel (the tasks helper's issue). */
export function TasksSlot(_props: { lastCreatedId: string | null }) {
  return (
    <section className="card tasks-slot">
      <h2 className="card__title">Your generations</h2>
      <p className="muted">The task list arrives with the tasks feature.</p>
    </section>
  );
}
