/**
 * A form's submit listener: the browser's default (a page load with the fields in the URL) is
 * cancelled, and `action` runs instead. Enter in a field and the submit button both come here.
 */
export function withoutReload(action: () => void): (event: SubmitEvent) => void {
  return (event) => {
    event.preventDefault();
    action();
  };
}
