export default function AccountPage() {
  return <p>Account</p>;
}
