/** Someone the bot names on a card: their Teams user id and display name. */
export interface Person {
  readonly id: string;
  readonly name: string;
}
